using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace Gateway.MockLlm.Generation;

/// <summary>
/// Counts tokens with the real o200k_base tokenizer (created once; it is thread-safe). Counts of
/// JSON string values are cached by the hash of their raw UTF-8 bytes, so a benchmark repeating one
/// prompt tokenizes it once. The cache stops growing at <see cref="MockLlmOptions.TokenCacheEntries"/>.
/// </summary>
internal sealed class TokenCounter(IOptions<MockLlmOptions> options)
{
    private static readonly Lazy<Tokenizer> SharedTokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    private readonly ConcurrentDictionary<ulong, int> _cache = new();
    private readonly int _capacity = options.Value.TokenCacheEntries;
    private int _entries;

    public static Tokenizer Tokenizer => SharedTokenizer.Value;

    public int Count(string text) => text.Length == 0 ? 0 : Tokenizer.CountTokens(text);

    /// <summary>Tokens of the raw JSON text of <paramref name="value"/> (tool definitions, tool inputs).</summary>
    public int CountRawJson(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Undefined) return 0;
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var key = XxHash3.HashToUInt64(raw, seed: 1);
        if (_cache.TryGetValue(key, out var cached)) return cached;
        return Remember(key, Count(System.Text.Encoding.UTF8.GetString(raw)));
    }

    /// <summary>Tokens of a JSON string value (unescaped); 0 for anything that is not a string.</summary>
    public int CountJsonString(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return 0;
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.Length <= 2) return 0;
        var key = XxHash3.HashToUInt64(raw);
        if (_cache.TryGetValue(key, out var cached)) return cached;
        return Remember(key, Count(value.GetString()!));
    }

    private int Remember(ulong key, int count)
    {
        if (Volatile.Read(ref _entries) < _capacity && _cache.TryAdd(key, count))
        {
            Interlocked.Increment(ref _entries);
        }
        return count;
    }
}
