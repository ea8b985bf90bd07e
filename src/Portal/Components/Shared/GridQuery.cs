using MudBlazor;

namespace Gateway.Portal.Components.Shared;

/// <summary>A data grid's state as the API's paging: 1-based page, size, and the API's name of the sorted column.</summary>
internal readonly record struct GridQuery(int Page, int PageSize, string? Sort, string? Order)
{
    /// <param name="sortFields">Grid column property name → the API's sort field; other columns do not sort.</param>
    public static GridQuery From<T>(GridState<T> state, IReadOnlyDictionary<string, string> sortFields)
    {
        var definition = state.SortDefinitions.FirstOrDefault();
        var field = definition is not null && sortFields.TryGetValue(definition.SortBy, out var f) ? f : null;
        var order = field is null ? null : definition!.Descending ? "desc" : "asc";
        return new GridQuery(state.Page + 1, state.PageSize, field, order);
    }

    public static GridData<T> Empty<T>() => new() { Items = [], TotalItems = 0 };

    public static GridData<T> Data<T>(Gateway.Contracts.Admin.PagedResult<T> page) => new() { Items = page.Items, TotalItems = page.Total };
}
