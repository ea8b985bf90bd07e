namespace Gateway.Contracts.Admin;

/// <summary>
/// A month's chargeback statement per cost centre. An open month is computed from the ledger;
/// a closed month's usage lines are frozen. Corrections are adjustments, booked in an open month.
/// </summary>
public sealed record StatementDto(
    string Period, bool Closed, DateTimeOffset? ClosedAt, string? ClosedBy,
    IReadOnlyList<StatementCostCentreDto> CostCentres, IReadOnlyList<AdjustmentDto> Adjustments, IReadOnlyList<MoneyTotal> Totals);

/// <summary>One cost centre's part of a statement (per currency).</summary>
public sealed record StatementCostCentreDto(
    string CostCentre, string Currency, long Requests, long InputTokens, long CachedInputTokens, long OutputTokens,
    decimal UsageCost, decimal Adjustments, decimal Total, IReadOnlyList<StatementLineDto> Lines);

public sealed record StatementLineDto(
    string TeamId, string ModelVersion, long Requests, long InputTokens, long CachedInputTokens, long OutputTokens, decimal Cost);

public sealed record MoneyTotal(string Currency, decimal Amount);

public sealed record AdjustmentDto(
    string Id, string Period, string CostCentre, decimal Amount, string Currency, string Reason, string? CorrectsPeriod,
    string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>A correction: a signed amount (6 decimals at most), booked in an open month, optionally naming the month it corrects.</summary>
public sealed record CreateAdjustmentRequest(string CostCentre, decimal Amount, string Currency, string Reason, string? CorrectsPeriod = null);

/// <summary>A month in <c>GET /api/statements</c>.</summary>
public sealed record StatementPeriodDto(string Period, bool Closed, DateTimeOffset? ClosedAt, IReadOnlyList<MoneyTotal> Totals);

/// <summary>Query of <c>GET /api/statements</c>. Sort: period.</summary>
public sealed class StatementPeriodQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Sort { get; set; }
    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; set; }
    public bool? Closed { get; set; }
}
