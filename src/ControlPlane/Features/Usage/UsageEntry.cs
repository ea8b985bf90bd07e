namespace Gateway.ControlPlane.Features.Usage;

/// <summary>
/// One metered request in the ledger. <see cref="RequestId"/> is unique: a replayed record is
/// not inserted twice, and another request that reused a caller's id is held under a derived one
/// (<see cref="UsageLedger.DerivedId"/>). <see cref="BillingPeriod"/> is the month the record is charged in: the
/// month of its timestamp, or the first open month after it when that month was already closed.
/// </summary>
internal sealed class UsageEntry
{
    public long Id { get; set; }

    public required string RequestId { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    public string? ProxyNode { get; set; }

    public required string KeyId { get; set; }

    public required string TeamId { get; set; }

    public required string CostCentre { get; set; }

    public string? SubscriptionId { get; set; }

    public required string ModelAlias { get; set; }

    public required string ModelVersion { get; set; }

    public string? DeploymentId { get; set; }

    public string? ProviderId { get; set; }

    public required string Operation { get; set; }

    public bool Streamed { get; set; }

    public long InputTokens { get; set; }

    public long CachedInputTokens { get; set; }

    public long OutputTokens { get; set; }

    public decimal Cost { get; set; }

    public required string Currency { get; set; }

    public double LatencyMs { get; set; }

    public double? TimeToFirstTokenMs { get; set; }

    public int Status { get; set; }

    public bool Estimated { get; set; }

    public required string Outcome { get; set; }

    /// <summary><c>yyyy-MM</c>, the month this record is charged in.</summary>
    public required string BillingPeriod { get; set; }

    public DateTimeOffset IngestedAt { get; set; }
}

/// <summary>Hourly rollup per team × subscription × model version (and currency).</summary>
internal sealed class UsageHourly
{
    public DateTimeOffset HourStart { get; set; }

    public required string TeamId { get; set; }

    /// <summary>Empty when the request had no subscription.</summary>
    public required string SubscriptionId { get; set; }

    public required string ModelVersion { get; set; }

    public required string Currency { get; set; }

    public required string CostCentre { get; set; }

    public long Requests { get; set; }

    public long InputTokens { get; set; }

    public long CachedInputTokens { get; set; }

    public long OutputTokens { get; set; }

    public decimal Cost { get; set; }
}

/// <summary>A shipped record that could not enter the ledger (malformed), kept with its reason: nothing is lost silently.</summary>
internal sealed class UsageQuarantine
{
    public long Id { get; set; }

    public required string BatchId { get; set; }

    public required string NodeId { get; set; }

    public required string Reason { get; set; }

    public required string Payload { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
