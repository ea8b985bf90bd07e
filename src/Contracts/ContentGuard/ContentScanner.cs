using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Contracts.ContentGuard;

/// <summary>What a scan found: counts by kind, where the first finding is, and the redacted body when asked for.</summary>
public sealed class GuardFindings
{
    public int[] Counts { get; } = new int[CompiledGuard.Kinds];

    /// <summary>Byte offset of the first JSON string that held a finding.</summary>
    public int FirstTokenStart { get; set; } = -1;

    /// <summary>The body with every finding replaced (redact only).</summary>
    public byte[]? Redacted { get; set; }

    public int Total => Counts.Sum();

    /// <summary><c>payment-card×2, iban×1</c>: what a log line or a metric may say (never the text found).</summary>
    public string Summary() => CompiledGuard.Describe(Counts, "×");

    /// <summary><c>payment-card=2, iban=1</c>: the <c>x-gateway-redacted</c> header (ASCII).</summary>
    public string HeaderValue() => CompiledGuard.Describe(Counts, "=");
}

/// <summary>
/// Runs a guard over every string value of a JSON body (property names are the API's, not the
/// application's text): the unescaped text, so that <c>\u0034</c> hides no digit. Nothing is
/// allocated for a body where nothing is found, beyond one pooled buffer.
/// </summary>
public static class ContentScanner
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Scans <paramref name="json"/>; null when nothing was found. With <paramref name="redact"/>, the findings' <see cref="GuardFindings.Redacted"/> body.</summary>
    public static GuardFindings? Scan(ReadOnlySpan<byte> json, CompiledGuard guard, bool redact)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        char[]? buffer = null;
        GuardFindings? findings = null;
        ArrayBufferWriter<byte>? output = null;
        var copied = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.IsEmpty || IsDataUrl(reader.ValueSpan)) continue;
                var raw = reader.ValueSpan.Length;
                if (buffer is null || buffer.Length < raw)
                {
                    if (buffer is not null) ArrayPool<char>.Shared.Return(buffer);
                    buffer = ArrayPool<char>.Shared.Rent(Math.Max(raw, 1024));
                }
                var text = buffer.AsSpan(0, reader.CopyString(buffer));
                var sink = new RangeSink();
                Run(guard, text, ref sink);
                if (sink.Ranges is not { } ranges) continue;

                findings ??= new GuardFindings();
                if (findings.FirstTokenStart < 0) findings.FirstTokenStart = (int)reader.TokenStartIndex;
                foreach (var range in ranges) findings.Counts[(int)range.Kind]++;
                if (!redact) continue;
                output ??= new ArrayBufferWriter<byte>(json.Length + 64);
                var start = (int)reader.TokenStartIndex;
                output.Write(json[copied..start]);
                output.Write("\""u8);
                output.Write(JsonEncodedText.Encode(Redact(text, ranges), JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes);
                output.Write("\""u8);
                copied = (int)reader.BytesConsumed;
            }
        }
        finally
        {
            if (buffer is not null) ArrayPool<char>.Shared.Return(buffer);
        }
        if (findings is not null && output is not null)
        {
            output.Write(json[copied..]);
            findings.Redacted = output.WrittenSpan.ToArray();
        }
        return findings;
    }

    /// <summary>The guard over one text, as an admin tries it out: how many of each kind it finds, and the text as redaction would leave it.</summary>
    public static GuardTrial Try(CompiledGuard guard, string text)
    {
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(text);
        var sink = new RangeSink();
        Run(guard, text, ref sink);
        var counts = new int[CompiledGuard.Kinds];
        if (sink.Ranges is not { } ranges) return new GuardTrial(counts, text);
        foreach (var range in ranges) counts[(int)range.Kind]++;
        return new GuardTrial(counts, Redact(text, ranges));
    }

    /// <summary>
    /// A <c>data:…;base64,</c> URL (an image, audio or a file inline): not text a detector can read,
    /// and long base64 runs would now and then pass an IBAN's checks by chance.
    /// </summary>
    internal static bool IsDataUrl(ReadOnlySpan<byte> raw) =>
        raw.StartsWith("data:"u8) && raw[..Math.Min(raw.Length, 128)].IndexOf(";base64,"u8) > 0;

    /// <summary>Every detector of <paramref name="guard"/> over one string.</summary>
    internal static void Run(CompiledGuard guard, ReadOnlySpan<char> text, ref RangeSink sink)
    {
        // Cards and IBANs need digits; most strings of a prompt have some, but roles, ids and enums do not.
        var digits = text.IndexOfAnyInRange('0', '9') >= 0;
        if (guard.PaymentCards && digits)
        {
            sink.Kind = FindingKind.PaymentCard;
            ContentDetectors.PaymentCards(text, ref sink);
        }
        if (guard.Ibans && digits)
        {
            sink.Kind = FindingKind.Iban;
            ContentDetectors.Ibans(text, ref sink);
        }
        if (guard.Credentials)
        {
            sink.Kind = FindingKind.Credential;
            ContentDetectors.CredentialsIn(text, ref sink);
        }
        sink.Kind = FindingKind.Pattern;
        foreach (var pattern in guard.Patterns) ContentDetectors.Matches(pattern, text, ref sink);
    }

    /// <summary>The text with each finding replaced by <c>[REDACTED:kind]</c>; overlapping findings are replaced once, as the first.</summary>
    internal static string Redact(ReadOnlySpan<char> text, List<Finding> ranges)
    {
        ranges.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var result = new StringBuilder(text.Length);
        var at = 0;
        foreach (var range in ranges)
        {
            if (range.Start < at)
            {
                // Overlaps the one before: widen what is replaced, do not mark it twice.
                var end = range.Start + range.Length;
                if (end > at) at = end;
                continue;
            }
            result.Append(text[at..range.Start]).Append("[REDACTED:").Append(CompiledGuard.NameOf(range.Kind)).Append(']');
            at = range.Start + range.Length;
        }
        return result.Append(text[at..]).ToString();
    }

    /// <summary>The JSON path (<c>messages[1].content</c>) of the value starting at <paramref name="tokenStart"/>.</summary>
    public static string PathAt(ReadOnlySpan<byte> json, int tokenStart)
    {
        const int InObject = int.MinValue;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        var path = new List<string>();      // per open container: how its parent reaches it
        var positions = new List<int>();    // per open container: the index of its last element, or InObject
        string? name = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    name = reader.GetString();
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    positions.RemoveAt(positions.Count - 1);
                    continue;
            }
            var accessor = positions.Count == 0 ? ""
                : positions[^1] != InObject ? $"[{++positions[^1]}]"
                : (path.Count > 1 ? "." : "") + name;
            if (reader.TokenStartIndex == tokenStart) return string.Concat(path) + accessor;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                path.Add(accessor);
                positions.Add(reader.TokenType == JsonTokenType.StartArray ? -1 : InObject);
            }
        }
        return "";
    }
}

/// <summary>What <see cref="ContentScanner.Try"/> found in a text: counts by <see cref="FindingKind"/>, and the text redacted.</summary>
public sealed record GuardTrial(IReadOnlyList<int> Counts, string Redacted)
{
    public int Total => Counts.Sum();

    /// <summary><c>payment-card×1, pattern×2</c>, or empty when nothing was found.</summary>
    public string Summary => CompiledGuard.Describe(Counts, "×");
}

/// <summary>One finding: where in the string, how long, and what.</summary>
public readonly record struct Finding(int Start, int Length, FindingKind Kind);

/// <summary>Collects the findings of one string; allocates only on the first.</summary>
public struct RangeSink : IFindingSink
{
    public FindingKind Kind;

    public List<Finding>? Ranges;

    public void Add(int start, int length) => (Ranges ??= []).Add(new Finding(start, length, Kind));
}
