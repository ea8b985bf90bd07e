namespace Gateway.Proxy.Providers;

/// <summary>How the upstream response is turned into the client's format.</summary>
internal enum ResponseTranslation
{
    None,
    AnthropicToChat,
    ChatToAnthropic,
}

/// <summary>One upstream call: where, with which body and credential, and how to read the answer.</summary>
internal sealed class UpstreamPlan
{
    public required Uri Url { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    public ResponseTranslation Translation { get; init; }

    /// <summary>The upstream answers in Anthropic's shape (usage semantics, error body).</summary>
    public bool AnthropicUpstream { get; init; }

    /// <summary>The proxy asked for the stream's usage chunk and the client did not: drop it on the way back.</summary>
    public bool StripUsageChunk { get; init; }

    /// <summary>The credential header's name (<c>Authorization</c>, <c>api-key</c>, <c>x-api-key</c>), or null.</summary>
    public string? AuthHeader { get; init; }

    public string? AuthValue { get; init; }
}
