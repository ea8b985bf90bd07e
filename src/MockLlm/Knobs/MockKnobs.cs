using System.Globalization;
using Gateway.MockLlm.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.MockLlm.Knobs;

/// <summary>
/// The behaviour knobs of one request: the <c>x-mock-*</c> headers, each falling back to the
/// instance default in <see cref="MockLlmOptions"/>. A malformed knob header is a 400.
/// </summary>
internal readonly record struct MockKnobs(
    int DelayMs,
    int? Chunks,
    int ChunkDelayMs,
    int? OutputTokens,
    int CachedTokens,
    int? Status,
    int RetryAfterSeconds,
    bool OmitUsage,
    int? DropAfterChunks)
{
    public const string DelayHeader = "x-mock-delay-ms";
    public const string ChunksHeader = "x-mock-chunks";
    public const string ChunkDelayHeader = "x-mock-chunk-delay-ms";
    public const string OutputTokensHeader = "x-mock-output-tokens";
    public const string CachedTokensHeader = "x-mock-cached-tokens";
    public const string StatusHeader = "x-mock-status";
    public const string RetryAfterHeader = "x-mock-retry-after";
    public const string UsageHeader = "x-mock-usage";
    public const string DropAfterChunksHeader = "x-mock-drop-after-chunks";

    /// <summary>Reads the knobs; throws <see cref="MockHttpException"/> (400) naming a malformed header.</summary>
    public static MockKnobs From(IHeaderDictionary headers, MockLlmOptions defaults)
    {
        var status = OptionalInt(headers, StatusHeader, 200, 599) ?? defaults.Status;
        if (status is >= 200 and < 400) status = null;
        return new MockKnobs(
            Int(headers, DelayHeader, 0, 600_000, defaults.DelayMs),
            OptionalInt(headers, ChunksHeader, 1, 1_000_000) ?? defaults.Chunks,
            Int(headers, ChunkDelayHeader, 0, 600_000, defaults.ChunkDelayMs),
            OptionalInt(headers, OutputTokensHeader, 1, 1_000_000) ?? defaults.OutputTokens,
            Int(headers, CachedTokensHeader, 0, 100_000_000, defaults.CachedTokens),
            status,
            Int(headers, RetryAfterHeader, 0, 86_400, defaults.RetryAfterSeconds),
            Usage(headers, defaults.OmitUsage),
            OptionalInt(headers, DropAfterChunksHeader, 0, 1_000_000) ?? defaults.DropAfterChunks);
    }

    /// <summary>Number of content chunks for <paramref name="tokens"/> tokens (one per token by default).</summary>
    public int ChunkCount(int tokens) => tokens <= 0 ? 0 : Math.Min(Chunks ?? tokens, tokens);

    private static int Int(IHeaderDictionary headers, string name, int min, int max, int fallback) =>
        OptionalInt(headers, name, min, max) ?? fallback;

    private static int? OptionalInt(IHeaderDictionary headers, string name, int min, int max)
    {
        if (!headers.TryGetValue(name, out var values) || StringValues.IsNullOrEmpty(values)) return null;
        if (values.Count == 1
            && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }
        throw Bad(name, min, max);
    }

    private static bool Usage(IHeaderDictionary headers, bool fallback)
    {
        if (!headers.TryGetValue(UsageHeader, out var values) || StringValues.IsNullOrEmpty(values)) return fallback;
        var value = values.Count == 1 ? values[0] : null;
        if (string.Equals(value, "omit", StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(value, "include", StringComparison.OrdinalIgnoreCase)) return false;
        throw new MockHttpException(400, $"Header '{UsageHeader}' must be 'omit' or 'include'.", UsageHeader);
    }

    private static MockHttpException Bad(string name, int min, int max) =>
        new(400, $"Header '{name}' must be one integer between {min} and {max}.", name);
}
