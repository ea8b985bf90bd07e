using Gateway.Contracts.Snapshot;

namespace Gateway.Contracts.Admin;

public sealed record AccessRequestDto(
    string Id, AccessRequestKind Kind, string TeamId, string ModelAlias, string? SubscriptionId, string Justification,
    LimitSpec? Limits, BudgetSpec? Budget, DataClassification DataClassification, DateTimeOffset? EndsAt,
    AccessRequestStatus Status, string RequestedBy, string RequestedByName, DateTimeOffset RequestedAt,
    string? DecidedBy, string? DecidedByName, DateTimeOffset? DecidedAt, string? DecisionReason, string? ResultSubscriptionId,
    string ConcurrencyStamp);

/// <summary>A team member asks for a model. The approver may change limits, budget and end date.</summary>
public sealed record CreateAccessRequest(
    string TeamId, string ModelAlias, string Justification, LimitSpec? Limits = null, BudgetSpec? Budget = null,
    DataClassification DataClassification = DataClassification.Internal, DateTimeOffset? EndsAt = null);

/// <summary>A team member asks for more budget (or other limits) on a subscription; decided like an access request.</summary>
public sealed record CreateBudgetIncreaseRequest(string Justification, BudgetSpec Budget, LimitSpec? Limits = null);

/// <summary>
/// Approves a pending request. Omitted values take what was requested. <c>ConcurrencyStamp</c>,
/// when given, must be the one the approver saw, else 409.
/// </summary>
public sealed record ApproveAccessRequest(
    LimitSpec? Limits = null, BudgetSpec? Budget = null, DateTimeOffset? EndsAt = null, string? PinnedVersion = null,
    OverLimitAction OverLimit = OverLimitAction.Reject, int? MaxOutputTokens = null, string? ConcurrencyStamp = null);

public sealed record RejectAccessRequest(string Reason, string? ConcurrencyStamp = null);

/// <summary>Query of <c>GET /api/access-requests</c>. Sort: requestedAt, decidedAt, teamId, modelAlias, status.</summary>
public sealed class AccessRequestQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Sort { get; set; }
    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; set; }
    /// <summary>pending, approved, rejected or cancelled (case-insensitive).</summary>
    public string? Status { get; set; }
    /// <summary>access or budgetIncrease (case-insensitive).</summary>
    public string? Kind { get; set; }
    public string? TeamId { get; set; }
    public string? ModelAlias { get; set; }

    /// <summary>Only requests the caller made.</summary>
    public bool? Mine { get; set; }
}
