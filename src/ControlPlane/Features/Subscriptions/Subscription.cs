using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;

namespace Gateway.ControlPlane.Features.Subscriptions;

/// <summary>Team × model alias access granted by an approval, with its limits and monthly budget.</summary>
internal sealed class Subscription
{
    public required string Id { get; set; }

    public required string TeamId { get; set; }

    public required string ModelAlias { get; set; }

    public string? PinnedVersion { get; set; }

    public int? RequestsPerMinute { get; set; }

    public int? TokensPerMinute { get; set; }

    public int? MaxConcurrent { get; set; }

    public long? MonthlyTokens { get; set; }

    public decimal? MonthlyAmount { get; set; }

    public string? Currency { get; set; }

    public OverLimitAction OverLimit { get; set; }

    public int? MaxOutputTokens { get; set; }

    public DateTimeOffset? EndsAt { get; set; }

    public SubscriptionStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The approver who granted it (user id), or <c>system</c> for seeded ones.</summary>
    public required string ApprovedBy { get; set; }

    public string? AccessRequestId { get; set; }
}
