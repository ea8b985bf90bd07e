using Gateway.Contracts.Snapshot;

namespace Gateway.Contracts.Admin;

public sealed record SubscriptionDto(
    string Id, string TeamId, string ModelAlias, string? PinnedVersion, LimitSpec? Limits, BudgetSpec? Budget,
    OverLimitAction OverLimit, int? MaxOutputTokens, DateTimeOffset? EndsAt, SubscriptionStatus Status,
    DateTimeOffset CreatedAt, string ApprovedBy, string? AccessRequestId, PeriodUsageSpec? Usage, string ConcurrencyStamp);

/// <summary>Query of <c>GET /api/subscriptions</c>. Sort: id, teamId, modelAlias, createdAt, endsAt.</summary>
public sealed class SubscriptionQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Sort { get; set; }
    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; set; }
    public string? TeamId { get; set; }
    public string? ModelAlias { get; set; }
    /// <summary>active or ended (case-insensitive).</summary>
    public string? Status { get; set; }
}
