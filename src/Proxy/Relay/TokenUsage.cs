namespace Gateway.Proxy.Relay;

/// <summary>
/// Token counts as the provider reported them, normalised: <see cref="InputTokens"/> includes
/// cached ones (Anthropic's cache reads and writes are added in), <see cref="CachedInputTokens"/>
/// is the part served from the prompt cache.
/// </summary>
internal readonly record struct TokenUsage(long InputTokens, long CachedInputTokens, long OutputTokens)
{
    /// <summary>The most tokens a usage count may say (2⁴⁰, about a trillion: no request comes near), as the control plane's ledger takes at most; sums of such counts cannot overflow.</summary>
    public const long MaxPlausibleTokens = 1L << 40;

    public long TotalTokens => InputTokens + OutputTokens;
}

/// <summary>How a relayed exchange ended.</summary>
internal enum RelayOutcome
{
    /// <summary>Nothing was relayed yet.</summary>
    None,

    /// <summary>The upstream answered and everything reached the client.</summary>
    Completed,

    /// <summary>The client went away before the end.</summary>
    ClientAborted,

    /// <summary>The upstream broke off or went idle after the response started.</summary>
    UpstreamDropped,

    /// <summary>No usable upstream answer (the gateway answered with an error).</summary>
    UpstreamError,

    /// <summary>The gateway refused the request before any upstream call.</summary>
    Rejected,
}

/// <summary>
/// Watches a relay (the seam for metering): usage reports as the provider sends them, the text
/// relayed (to estimate an abandoned stream), and the end. Called on the request's thread, in
/// order; implementations must not block.
/// </summary>
internal interface IRelayObserver
{
    /// <summary>The latest cumulative usage (each report supersedes the previous one).</summary>
    void OnUsage(in TokenUsage usage);

    /// <summary>Generated text relayed to the client (content and tool-call arguments).</summary>
    void OnText(ReadOnlySpan<char> text);

    /// <summary>The exchange ended (called once, also for errors and aborts).</summary>
    void OnCompleted(RelayOutcome outcome);
}
