namespace Gateway.Contracts.Admin;

/// <summary>One ledger record as the admin API shows it.</summary>
public sealed record UsageRecordDto(
    string RequestId, DateTimeOffset Timestamp, string KeyId, string TeamId, string CostCentre, string? SubscriptionId,
    string ModelAlias, string ModelVersion, string? DeploymentId, string Operation, bool Streamed,
    long InputTokens, long CachedInputTokens, long OutputTokens, decimal Cost, string Currency,
    int Status, string Outcome, bool Estimated, double LatencyMs, string BillingPeriod);

/// <summary>One group of <c>GET /api/usage/summary</c> (per currency).</summary>
public sealed record UsageSummaryRow(
    string Key, string Currency, long Requests, long InputTokens, long CachedInputTokens, long OutputTokens, long TotalTokens, decimal Cost);

/// <summary>Query of <c>GET /api/usage/records</c>. Sort: timestamp, cost, totalTokens. Times are UTC; <c>to</c> is exclusive.</summary>
public sealed class UsageRecordQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Sort { get; set; }
    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; set; }
    public DateTimeOffset? From { get; set; }
    public DateTimeOffset? To { get; set; }
    public string? TeamId { get; set; }
    public string? CostCentre { get; set; }
    public string? KeyId { get; set; }
    public string? SubscriptionId { get; set; }
    public string? ModelVersion { get; set; }
}

/// <summary>
/// Query of <c>GET /api/usage/summary</c>: hourly rollups grouped by <c>groupBy</c>
/// (team, costCentre, modelVersion, subscription, day, month). Sort: key, cost, requests, totalTokens.
/// </summary>
public sealed class UsageSummaryQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Sort { get; set; }
    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; set; }
    /// <summary>team, costCentre, modelVersion, subscription, day or month (case-insensitive).</summary>
    public string? GroupBy { get; set; }
    public DateTimeOffset? From { get; set; }
    public DateTimeOffset? To { get; set; }
    public string? TeamId { get; set; }
    public string? CostCentre { get; set; }
    public string? ModelVersion { get; set; }
}
