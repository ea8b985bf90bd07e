namespace Gateway.Proxy.Pipeline;

/// <summary>What one pass over the JSON body found, without keeping a DOM.</summary>
internal readonly record struct RequestBodyInfo
{
    /// <summary>Byte offset of the <c>model</c> string token (quotes included), or -1.</summary>
    public int ModelTokenStart { get; init; }

    /// <summary>Length of that token in bytes (quotes included).</summary>
    public int ModelTokenLength { get; init; }

    /// <summary><c>"stream": true</c>.</summary>
    public bool Stream { get; init; }

    /// <summary>The body has a <c>stream_options</c> member.</summary>
    public bool HasStreamOptions { get; init; }

    /// <summary><c>"stream_options": {"include_usage": true}</c>.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary><c>max_tokens</c>, <c>max_completion_tokens</c> or <c>max_output_tokens</c>, when an integer.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>How many bytes of the body are JSON (a KServe binary request has tensors after them).</summary>
    public int JsonLength { get; init; }

    public bool HasModel => ModelTokenStart >= 0;

    public static RequestBodyInfo Empty { get; } = new() { ModelTokenStart = -1 };
}
