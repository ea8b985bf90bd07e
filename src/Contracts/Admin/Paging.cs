namespace Gateway.Contracts.Admin;

/// <summary>
/// One page of a list endpoint. Every list of the admin API takes <c>page</c> (1-based),
/// <c>pageSize</c> (1–200, default 50), <c>sort</c> (a field the endpoint names) and
/// <c>order</c> (<c>asc</c> or <c>desc</c>) as query parameters and filters server-side.
/// </summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>Sort direction of a list.</summary>
public enum SortOrder
{
    Asc,
    Desc,
}

/// <summary>Limits of paging, shared by the API and its clients.</summary>
public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
}
