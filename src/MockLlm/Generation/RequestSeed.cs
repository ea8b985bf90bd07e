using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Gateway.MockLlm.Generation;

/// <summary>
/// A 64-bit seed folded from the parts of a request that determine its answer (endpoint kind,
/// model, messages/prompt/input, system prompt, tools). Whether the request streams is not part of
/// it, so the streamed chunks concatenate to the same text as the JSON answer.
/// </summary>
internal struct RequestSeed
{
    private ulong _value;

    public RequestSeed(string kind) => _value = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(kind));

    public readonly ulong Value => _value;

    public void Add(ReadOnlySpan<byte> bytes) => _value = Mix(_value ^ XxHash3.HashToUInt64(bytes, (long)_value));

    public void Add(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Undefined) { Add("-"u8); return; }
        Add(JsonMarshal.GetRawUtf8Value(element));
    }

    public void Add(string text)
    {
        Span<byte> buffer = stackalloc byte[256];
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max <= buffer.Length)
        {
            Add(buffer[..Encoding.UTF8.GetBytes(text, buffer)]);
        }
        else
        {
            Add(Encoding.UTF8.GetBytes(text));
        }
    }

    /// <summary>SplitMix64's finaliser: a good 64-bit mixer.</summary>
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
