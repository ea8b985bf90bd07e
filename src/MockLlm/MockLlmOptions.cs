using System.ComponentModel.DataAnnotations;

namespace Gateway.MockLlm;

/// <summary>
/// Instance-wide defaults (configuration section <c>MockLlm</c>). Every knob can be overridden per
/// request with its <c>x-mock-*</c> header (see README.md); these defaults let benchmarks shape
/// every response without touching the load generator.
/// </summary>
internal sealed class MockLlmOptions : IValidatableObject
{
    public const string Section = "MockLlm";

    /// <summary>Require a non-empty API key in the header the endpoint's provider uses (401 without one).</summary>
    public bool RequireApiKey { get; set; } = true;

    /// <summary>Delay before the first byte of every response, in milliseconds.</summary>
    [Range(0, 600_000)]
    public int DelayMs { get; set; }

    /// <summary>Number of content chunks a stream is split into; null = one token per chunk.</summary>
    [Range(1, 1_000_000)]
    public int? Chunks { get; set; }

    /// <summary>Pause between two content chunks of a stream, in milliseconds.</summary>
    [Range(0, 600_000)]
    public int ChunkDelayMs { get; set; }

    /// <summary>Completion length in tokens; null = derived from the request's hash in [MinOutputTokens, MaxOutputTokens].</summary>
    [Range(1, 1_000_000)]
    public int? OutputTokens { get; set; }

    [Range(1, 1_000_000)]
    public int MinOutputTokens { get; set; } = 8;

    [Range(1, 1_000_000)]
    public int MaxOutputTokens { get; set; } = 40;

    /// <summary>Cached prompt tokens to report (clamped to the prompt's tokens).</summary>
    [Range(0, 100_000_000)]
    public int CachedTokens { get; set; }

    /// <summary>Answer every model request with this error status (429, 500, 503, ...); null = succeed.</summary>
    [Range(400, 599)]
    public int? Status { get; set; }

    /// <summary>The <c>Retry-After</c> seconds sent with a forced 429.</summary>
    [Range(0, 86_400)]
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Leave usage out of every response (JSON usage objects, usage chunks and stream usage fields).</summary>
    public bool OmitUsage { get; set; }

    /// <summary>Abort the connection after this many content chunks; null = never.</summary>
    [Range(0, 1_000_000)]
    public int? DropAfterChunks { get; set; }

    /// <summary>
    /// Flushes wait until the socket took the bytes, so a client abort leaves in the tally exactly what
    /// reached the socket (otherwise: what reached Kestrel). Off by default: it halves JSON throughput.
    /// </summary>
    public bool UnbufferedWrites { get; set; }

    /// <summary>Embedding vector length when the request does not ask for <c>dimensions</c>.</summary>
    [Range(1, 16_384)]
    public int EmbeddingDimensions { get; set; } = 1536;

    /// <summary>Distinct texts whose token counts are cached (repeated prompts are counted once).</summary>
    [Range(0, 10_000_000)]
    public int TokenCacheEntries { get; set; } = 50_000;

    /// <summary>Model ids listed by <c>GET /v1/models</c>; empty = <see cref="DefaultModels"/>. Any model name is accepted in requests.</summary>
    public string[] Models { get; set; } = [];

    public static readonly string[] DefaultModels =
    [
        "gpt-4o", "gpt-4o-2024-08-06", "gpt-4o-2024-11-20", "gpt-4o-mini", "gpt-4o-mini-2024-07-18",
        "text-embedding-3-small", "text-embedding-3-large", "gpt-4o-realtime-preview-2024-12-17",
        "claude-sonnet-4-20250514", "fraud-scorer-2",
    ];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinOutputTokens > MaxOutputTokens)
        {
            yield return new ValidationResult(
                $"MockLlm:MinOutputTokens ({MinOutputTokens}) must not exceed MockLlm:MaxOutputTokens ({MaxOutputTokens}).",
                [nameof(MinOutputTokens), nameof(MaxOutputTokens)]);
        }
        foreach (var model in Models)
        {
            if (string.IsNullOrWhiteSpace(model))
            {
                yield return new ValidationResult("MockLlm:Models must not contain empty names.", [nameof(Models)]);
                yield break;
            }
        }
    }
}
