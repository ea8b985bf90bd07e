using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;

namespace Gateway.ControlPlane.Features.AccessRequests;

/// <summary>
/// A team's request for a model (a new subscription) or for more budget on an existing
/// subscription. Decided by an approver who is not the requester (maker-checker).
/// </summary>
internal sealed class AccessRequest
{
    public required string Id { get; set; }

    public AccessRequestKind Kind { get; set; }

    public required string TeamId { get; set; }

    public required string ModelAlias { get; set; }

    /// <summary>The subscription whose budget a budget-increase request raises.</summary>
    public string? SubscriptionId { get; set; }

    public required string Justification { get; set; }

    public int? RequestsPerMinute { get; set; }

    public int? TokensPerMinute { get; set; }

    public int? MaxConcurrent { get; set; }

    public long? MonthlyTokens { get; set; }

    public decimal? MonthlyAmount { get; set; }

    public string? Currency { get; set; }

    public DataClassification DataClassification { get; set; } = DataClassification.Internal;

    public DateTimeOffset? EndsAt { get; set; }

    public AccessRequestStatus Status { get; set; }

    public required string RequestedBy { get; set; }

    public required string RequestedByName { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public string? DecidedBy { get; set; }

    public string? DecidedByName { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecisionReason { get; set; }

    /// <summary>The subscription created or changed by the approval.</summary>
    public string? ResultSubscriptionId { get; set; }
}
