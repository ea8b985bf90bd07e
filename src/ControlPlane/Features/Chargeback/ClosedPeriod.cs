namespace Gateway.ControlPlane.Features.Chargeback;

/// <summary>A closed month: its statement lines are frozen and no usage is charged to it any more.</summary>
internal sealed class ClosedPeriod
{
    public required string Period { get; set; }

    public DateTimeOffset ClosedAt { get; set; }

    public required string ClosedBy { get; set; }

    public List<StatementLine> Lines { get; set; } = [];
}

/// <summary>A frozen line of a closed month's statement: cost centre × team × model version × currency.</summary>
internal sealed class StatementLine
{
    public long Id { get; set; }

    public required string Period { get; set; }

    public required string CostCentre { get; set; }

    public required string TeamId { get; set; }

    public required string ModelVersion { get; set; }

    public required string Currency { get; set; }

    public long Requests { get; set; }

    public long InputTokens { get; set; }

    public long CachedInputTokens { get; set; }

    public long OutputTokens { get; set; }

    public decimal Cost { get; set; }
}

/// <summary>A correction to a month's statement: a signed amount with its reason and author.</summary>
internal sealed class Adjustment
{
    public required string Id { get; set; }

    public required string Period { get; set; }

    public required string CostCentre { get; set; }

    public decimal Amount { get; set; }

    public required string Currency { get; set; }

    public required string Reason { get; set; }

    /// <summary>The (closed) month this adjustment corrects, if any.</summary>
    public string? CorrectsPeriod { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
