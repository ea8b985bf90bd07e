namespace Gateway.Contracts.Usage;

/// <summary>
/// One metered request: what the proxy writes to its spool and ships to the control plane's
/// ledger. <see cref="UsageRecordIdentity"/> identifies it (request id, node, key, arrival), so a
/// replayed batch is a no-op; the request id alone does not, since a caller may send its
/// <c>x-request-id</c> twice.
/// </summary>
public sealed record UsageRecord
{
    public required string RequestId { get; init; }

    /// <summary>When the request arrived at the proxy (UTC).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The proxy node that served it.</summary>
    public string? ProxyNode { get; init; }

    public required string KeyId { get; init; }

    public required string TeamId { get; init; }

    public string? SubscriptionId { get; init; }

    /// <summary>What the client asked for (alias or exact version).</summary>
    public required string ModelAlias { get; init; }

    /// <summary>The version that served it (after pin / canary / default).</summary>
    public required string ModelVersion { get; init; }

    public string? DeploymentId { get; init; }

    public string? ProviderId { get; init; }

    /// <summary>chat, completions, embeddings, responses, messages, realtime or inference.</summary>
    public required string Operation { get; init; }

    public bool Streamed { get; init; }

    /// <summary>Prompt tokens, cached ones included.</summary>
    public long InputTokens { get; init; }

    /// <summary>The part of <see cref="InputTokens"/> served from the provider's prompt cache (priced apart).</summary>
    public long CachedInputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>Tokens × the version's prices, in <see cref="Currency"/>.</summary>
    public decimal Cost { get; init; }

    public required string Currency { get; init; }

    /// <summary>Time from arrival to the last byte, in milliseconds.</summary>
    public double LatencyMs { get; init; }

    /// <summary>Time from arrival to the first response byte, in milliseconds.</summary>
    public double? TimeToFirstTokenMs { get; init; }

    /// <summary>HTTP status returned to the client.</summary>
    public int Status { get; init; }

    /// <summary>True when tokens were counted by the proxy's tokenizer, not reported by the provider.</summary>
    public bool Estimated { get; init; }

    /// <summary>completed, client_aborted, upstream_dropped, upstream_error or rejected.</summary>
    public required string Outcome { get; init; }
}

/// <summary>Values of <see cref="UsageRecord.Outcome"/>.</summary>
public static class UsageOutcomes
{
    public const string Completed = "completed";
    public const string ClientAborted = "client_aborted";
    public const string UpstreamDropped = "upstream_dropped";
    public const string UpstreamError = "upstream_error";
}
