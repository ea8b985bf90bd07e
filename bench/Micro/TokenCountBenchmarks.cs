using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Proxy.Policies.Admission;
using Microsoft.ML.Tokenizers;

namespace Gateway.Bench.Micro;

/// <summary>
/// The proxy's own o200k_base counter (<see cref="BpeCounter"/>) beside Microsoft.ML.Tokenizers,
/// which it replaced, on the same texts: the 1 KB chat body's user message (a repeated English
/// sentence, the library's word cache at its best) and a mixed text of code, JSON, Cyrillic and
/// CJK, both from UTF-8 as admission counts them. <see cref="ProxyUnseen"/> counts 20,000
/// distinct made-up words, so that the proxy's piece cache (4,096 slots) misses on nearly every
/// piece: the counter's cost on text it has not seen.
/// </summary>
[MemoryDiagnoser]
public class TokenCountBenchmarks
{
    private byte[] _message = null!;
    private byte[] _mixed = null!;
    private byte[] _unseen = null!;
    private Tokenizer _library = null!;
    private BpeCounter _proxy = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var body = JsonDocument.Parse(Fixtures.ChatBody());
        _message = Encoding.UTF8.GetBytes(body.RootElement.GetProperty("messages")[1].GetProperty("content").GetString()!);
        _mixed = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(
            "public static int Count(ReadOnlySpan<char> text) => text.Length; {\"role\":\"user\",\"content\":\"Привет, мир\"} 日本語のテキスト 12345 ", 8)));
        var random = new Random(7);
        _unseen = Encoding.UTF8.GetBytes(string.Join(' ', Enumerable.Range(0, 20_000).Select(i =>
            string.Concat(Enumerable.Range(0, 4 + random.Next(6)).Select(_ => (char)('a' + random.Next(26)))) + i.ToString("x", System.Globalization.CultureInfo.InvariantCulture))));
        _library = TiktokenTokenizer.CreateForEncoding(Tokenizers.O200k);
        _proxy = Tokenizers.For(Tokenizers.O200k);
        if (Library(_message) != _proxy.CountUtf8(_message) || Library(_mixed) != _proxy.CountUtf8(_mixed))
        {
            throw new InvalidOperationException("the two counters disagree");
        }
    }

    [Benchmark(Baseline = true)]
    public int LibraryMessage() => Library(_message);

    [Benchmark]
    public int ProxyMessage() => _proxy.CountUtf8(_message);

    [Benchmark]
    public int LibraryMixed() => Library(_mixed);

    [Benchmark]
    public int ProxyMixed() => _proxy.CountUtf8(_mixed);

    /// <summary>Per count of ~180 KB; divide by the words (20,000) for a word's cost.</summary>
    [Benchmark]
    public int ProxyUnseen() => _proxy.CountUtf8(_unseen);

    private int Library(byte[] utf8) => _library.CountTokens(Encoding.UTF8.GetString(utf8));
}
