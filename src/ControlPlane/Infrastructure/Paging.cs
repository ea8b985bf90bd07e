using System.Linq.Expressions;
using Gateway.Contracts.Admin;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Infrastructure;

/// <summary>A validated page request: 1-based page, size, sort field and direction.</summary>
internal sealed record PageRequest(int Page, int PageSize, string Sort, bool Descending)
{
    /// <summary>Reads paging parameters, recording bad ones in <paramref name="validation"/>.</summary>
    public static PageRequest From<T>(int? page, int? pageSize, string? sort, string? order, SortMap<T> sorts, Validation validation, SortOrder defaultOrder = SortOrder.Asc)
    {
        if (page is < 1) validation.Error("page", "must be 1 or more");
        if (pageSize is < 1 or > Paging.MaxPageSize) validation.Error("pageSize", $"must be between 1 and {Paging.MaxPageSize}");
        var direction = QueryEnums.Parse<SortOrder>(validation, "order", order);
        var field = string.IsNullOrEmpty(sort) ? sorts.Default : sort;
        if (!sorts.Has(field)) validation.Error("sort", $"must be one of: {string.Join(", ", sorts.Fields)}");
        return new PageRequest(page ?? 1, pageSize ?? Paging.DefaultPageSize, field, (direction ?? defaultOrder) == SortOrder.Desc);
    }
}

/// <summary>The sortable fields of a list and a unique key that makes paging stable.</summary>
internal sealed class SortMap<T>(string defaultField, Expression<Func<T, object?>> key)
{
    private readonly Dictionary<string, Func<IQueryable<T>, bool, IOrderedQueryable<T>>> _fields = new(StringComparer.OrdinalIgnoreCase);

    public string Default => defaultField;

    public IEnumerable<string> Fields => _fields.Keys;

    public SortMap<T> Add<TKey>(string field, Expression<Func<T, TKey>> selector)
    {
        _fields[field] = (q, desc) => desc ? q.OrderByDescending(selector) : q.OrderBy(selector);
        return this;
    }

    public bool Has(string field) => _fields.ContainsKey(field);

    public IOrderedQueryable<T> Apply(IQueryable<T> query, PageRequest page)
    {
        var ordered = _fields[page.Sort](query, page.Descending);
        return page.Descending ? ordered.ThenByDescending(key) : ordered.ThenBy(key);
    }
}

internal static class PagingExtensions
{
    public static async Task<PagedResult<TOut>> ToPageAsync<T, TOut>(
        this IQueryable<T> query, PageRequest page, SortMap<T> sorts, Func<T, TOut> map, CancellationToken cancellationToken)
    {
        var total = await query.CountAsync(cancellationToken);
        var items = await sorts.Apply(query, page).Skip((page.Page - 1) * page.PageSize).Take(page.PageSize).ToListAsync(cancellationToken);
        return new PagedResult<TOut>([.. items.Select(map)], total, page.Page, page.PageSize);
    }

    /// <summary>Pages an in-memory list (aggregates computed after the query).</summary>
    public static PagedResult<T> ToPage<T>(this IEnumerable<T> items, PageRequest page, IReadOnlyDictionary<string, Func<T, object?>> sorts)
    {
        var list = items.ToList();
        var selector = sorts[page.Sort];
        var ordered = page.Descending ? list.OrderByDescending(selector) : list.OrderBy(selector);
        return new PagedResult<T>([.. ordered.Skip((page.Page - 1) * page.PageSize).Take(page.PageSize)], list.Count, page.Page, page.PageSize);
    }
}
