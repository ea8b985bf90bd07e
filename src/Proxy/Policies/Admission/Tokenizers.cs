using System.Buffers;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Gateway.Proxy.Policies.Admission;

/// <summary>
/// The tokenizers the proxy counts with (Microsoft.ML.Tokenizers, created once, thread-safe):
/// <c>o200k_base</c> (current OpenAI models) and <c>cl100k_base</c> (older ones), chosen by the
/// model's <c>Tokenizer</c>. Any other model — Claude, open models, no tokenizer named — is
/// counted with o200k_base: its vocabulary is the closest public match for modern BPE models, so
/// the estimate stays within a few per cent. Estimates only reserve and stand in for usage a
/// provider did not report; settled figures are the provider's.
/// </summary>
internal static class Tokenizers
{
    public const string O200k = "o200k_base";
    public const string Cl100k = "cl100k_base";

    private static readonly Lazy<Tokenizer> O200kTokenizer = new(() => TiktokenTokenizer.CreateForEncoding(O200k));
    private static readonly Lazy<Tokenizer> Cl100kTokenizer = new(() => TiktokenTokenizer.CreateForEncoding(Cl100k));

    /// <summary>The tokenizer for a model's <c>Tokenizer</c> setting (null or unknown: o200k_base).</summary>
    public static Tokenizer For(string? name) =>
        string.Equals(name, Cl100k, StringComparison.OrdinalIgnoreCase) ? Cl100kTokenizer.Value : O200kTokenizer.Value;

    /// <summary>Loads both vocabularies (start-up, so the first request does not pay for it).</summary>
    public static void Warm()
    {
        _ = O200kTokenizer.Value.CountTokens("warm");
        _ = Cl100kTokenizer.Value.CountTokens("warm");
    }

    public static int Count(Tokenizer tokenizer, ReadOnlySpan<char> text) =>
        text.IsEmpty ? 0 : tokenizer.CountTokens(text, considerPreTokenization: true, considerNormalization: true);

    /// <summary>Counts UTF-8 text (transcoded into a pooled buffer).</summary>
    public static int CountUtf8(Tokenizer tokenizer, ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return 0;
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(utf8.Length));
        try
        {
            var written = Encoding.UTF8.GetChars(utf8, chars);
            return Count(tokenizer, chars.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
