using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Catalog;

public partial class Catalog
{
    private static readonly int[] PageSizes = [10, 25, 50];
    private static readonly Dictionary<string, string> SortFields = new() { ["Alias"] = "alias", ["Kind"] = "kind" };

    private MudDataGrid<ModelDto>? _grid;
    private string? _search;
    private string? _kind;
    private bool _hideRetired;

    [Inject]
    private CatalogApi Api { get; set; } = default!;

    private async Task<GridData<ModelDto>> LoadAsync(GridState<ModelDto> state, CancellationToken ct)
    {
        var q = GridQuery.From(state, SortFields);
        return await LoadGridAsync(() => Api.ListAsync(new ModelQuery
        {
            Page = q.Page, PageSize = q.PageSize, Sort = q.Sort, Order = q.Order, Search = _search, Kind = _kind, HideRetired = _hideRetired ? true : null,
        }, ct));
    }

    private Task SearchChanged(string? value)
    {
        _search = value;
        return ReloadAsync();
    }

    private Task KindChanged(string? value)
    {
        _kind = value;
        return ReloadAsync();
    }

    private Task HideRetiredChanged(bool value)
    {
        _hideRetired = value;
        return ReloadAsync();
    }

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;
}
