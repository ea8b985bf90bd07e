using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary><c>/api/usage</c>: ledger records and grouped rollups.</summary>
internal sealed class UsageApi(HttpClient http, IAccessTokenSource tokens) : ApiClient(http, tokens)
{
    public Task<PagedResult<UsageRecordDto>> RecordsAsync(UsageRecordQuery query, CancellationToken ct) =>
        GetAsync<PagedResult<UsageRecordDto>>("api/usage/records", query, ct);

    public Task<PagedResult<UsageSummaryRow>> SummaryAsync(UsageSummaryQuery query, CancellationToken ct) =>
        GetAsync<PagedResult<UsageSummaryRow>>("api/usage/summary", query, ct);

    /// <summary>Every row of a summary, page after page (for charts and exports).</summary>
    public async Task<IReadOnlyList<UsageSummaryRow>> SummaryAllAsync(UsageSummaryQuery query, CancellationToken ct)
    {
        var rows = new List<UsageSummaryRow>();
        query.PageSize = Paging.MaxPageSize;
        for (var page = 1; ; page++)
        {
            query.Page = page;
            var result = await SummaryAsync(query, ct);
            rows.AddRange(result.Items);
            if (result.Items.Count == 0 || rows.Count >= result.Total) return rows;
        }
    }
}
