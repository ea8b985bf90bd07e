using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Gateway.Proxy.Policies.Admission;
using Gateway.Proxy.Tests.Infrastructure;
using Microsoft.ML.Tokenizers;

namespace Gateway.Proxy.Tests.Admission;

/// <summary>
/// The proxy's own BPE counter against Microsoft.ML.Tokenizers (the reference implementation of the
/// same encodings): equal counts on generated text that exercises every branch of both
/// pre-tokenization patterns, special tokens, lone surrogates and long pieces, and on the
/// repository's own documents and code; then its costs — nothing allocated per count, long runs
/// counted in O(n log n), and a vocabulary footprint a fraction of the library's.
/// </summary>
[Collection(BpeCounterTests.Alone)]
public sealed class BpeCounterTests
{
    /// <summary>The footprint test reads the whole heap, so no other test may allocate meanwhile.</summary>
    public const string Alone = "Measures the whole heap";

    private static readonly string[] Encodings = [Tokenizers.O200k, Tokenizers.Cl100k];

    private static readonly string[] Fragments =
    [
        "hello", "Hello", "HELLO", "world", " the", "The", "don't", "I'M", "we'll", "THEY'RE", "it's", "'s", "'ll", "'Ve",
        "ÉCOLE", "école", "naïve", "straße", "Привет", "мир", "日本語", "中文", "한국어", "العربية", "עברית", "ελληνικά",
        "e\u0301", "a\u0308\u0301", "\u0915\u094D\u0937", "😀", "👍🏽", "👨‍👩‍👧", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "0", "12", "123", "1234567", "3.14159", "1,000,000", "٣٤٥", "Ⅻ", "½",
        " ", "  ", "   ", "\t", "\n", "\r\n", "\n\n", " \n ", "\u00A0", "\u3000", "\u2028",
        ".", ",", "!!", "?!", "...", "—", "//", "/*", "*/", "{", "}", "[", "]", "(", ")", "\"", "'", "`", "```", "=>", "::", "->",
        "<", ">", "<|", "|>", "<|endoftext|>", "<|endofprompt|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endof", "|endoftext|>",
        "\uFFFD", "\uD800", "\uDC00", "\uDBFF", "x\uD83D", "\uDE00y",
        "https://example.com/path?q=1&r=2", "user@example.com", "C:\\Windows\\System32", "snake_case_name", "camelCaseName", "x86_64",
        "{\"role\":\"user\",\"content\":\"Hi\"}", "SELECT * FROM t WHERE id = 1;", "<div class=\"a\">", "&amp;", "%20", "#!/bin/sh",
    ];

    // Lazy: the reference holds ~60 MB, which the footprint test must not count as the counter's.
    private static readonly Lazy<LibraryReference> LazyReferences = new(() => new LibraryReference());

    private static LibraryReference References => LazyReferences.Value;

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void GeneratedText_CountsAsTheReferenceDoes(string encoding)
    {
        var counter = Tokenizers.For(encoding);
        var random = new Random(20261126);
        var mismatches = new List<string>();
        for (var i = 0; i < 4000; i++)
        {
            var text = Generate(random, random.Next(1, 40));
            var expected = References.Count(encoding, text);
            var actual = counter.Count(text);
            if (actual != expected) mismatches.Add($"{Escape(text)}: {actual} ≠ {expected}");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of 4000 differ:\n" + string.Join('\n', mismatches.Take(20)));
    }

    /// <summary>
    /// The piece cache has 4,096 slots: 20,000 distinct words share slots many times over, so a
    /// count taken from a slot another piece filled (a broken tag check) or a stale one after
    /// churn would show as a difference from the reference.
    /// </summary>
    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void CountsFromThePieceCache_EqualTheReference_BeforeAndAfterItIsChurned(string encoding)
    {
        var counter = Tokenizers.For(encoding);
        var random = new Random(20261127);
        var texts = Enumerable.Range(0, 300).Select(_ => Generate(random, random.Next(1, 40))).ToArray();
        var words = Enumerable.Range(0, 20_000)
            .Select(i => " " + string.Concat(Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (char)('a' + random.Next(26)))) + (i % 3 == 0 ? "s" : ""))
            .ToArray();
        var expected = texts.Select(text => References.Count(encoding, text)).ToArray();
        var wordsExpected = References.Count(encoding, string.Concat(words));

        var first = texts.Select(text => counter.Count(text)).ToArray();
        var again = texts.Select(text => counter.Count(text)).ToArray();
        var wordsCounted = counter.Count(string.Concat(words));
        var wordsAgain = words.Sum(word => counter.Count(word));
        var afterChurn = texts.Select(text => counter.Count(text)).ToArray();

        Assert.Equal(expected, first);
        Assert.Equal(expected, again);
        Assert.Equal(wordsExpected, wordsCounted);
        Assert.Equal(wordsExpected, wordsAgain);
        Assert.Equal(expected, afterChurn);
    }

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void LongPieces_TakeTheHeapMerge_AndCountAsTheReferenceDoes(string encoding)
    {
        var counter = Tokenizers.For(encoding);
        var random = new Random(7);
        var texts = new List<string>
        {
            new('a', 129), new('a', 5000), string.Concat(Enumerable.Repeat("ab", 3000)), string.Concat(Enumerable.Repeat("Привет", 400)),
            Convert.ToBase64String(RandomBytes(random, 3000)), string.Concat(Enumerable.Repeat("日本語", 300)), new string('!', 1000), new string(' ', 600) + "x",
            string.Concat(Enumerable.Repeat("😀", 200)), "data:image/png;base64," + Convert.ToBase64String(RandomBytes(random, 6000)),
        };
        for (var i = 0; i < 40; i++)
        {
            var letters = new StringBuilder();
            var length = random.Next(100, 2000);
            for (var j = 0; j < length; j++) letters.Append((char)(random.Next(3) == 0 ? 'A' + random.Next(26) : 'a' + random.Next(26)));
            texts.Add(letters.ToString());
        }
        foreach (var text in texts)
        {
            Assert.True(text.Length < 129 || Encoding.UTF8.GetByteCount(text) > 128);
            Assert.Equal(References.Count(encoding, text), counter.Count(text));
        }
    }

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void TheRepositorysDocumentsAndCode_CountAsTheReferenceDoes(string encoding)
    {
        var root = Repository.Root();
        var files = Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "src", "Proxy"), "*.cs", SearchOption.AllDirectories))
            .Append(Path.Combine(root, "README.md"))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 20, $"found only {files.Count} files under {root}");
        var counter = Tokenizers.For(encoding);
        long total = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var expected = References.Count(encoding, text);
            Assert.True(expected == counter.Count(text), $"{file}: {counter.Count(text)} ≠ {expected}");
            total += expected;
        }
        Assert.True(total > 100_000, $"only {total} tokens compared");
    }

    [Fact]
    public void Utf8_CountsAsTheTextDoes_WithInvalidBytesAsReplacementCharacters()
    {
        var counter = Tokenizers.For(Tokenizers.O200k);
        foreach (var text in new[] { "Hello, world!", "Привет, 世界 😀", "<|endoftext|>x", new string('é', 900) })
        {
            Assert.Equal(counter.Count(text), counter.CountUtf8(Encoding.UTF8.GetBytes(text)));
        }
        Assert.Equal(counter.Count("a\uFFFDb"), counter.CountUtf8([(byte)'a', 0xFF, (byte)'b']));
        Assert.Equal(0, counter.CountUtf8([]));
        Assert.Equal(0, counter.Count(""));
    }

    [Fact]
    public void SpecialTokens_CountOneEach_AndOnlyWhenWhole()
    {
        var o200k = Tokenizers.For(Tokenizers.O200k);
        Assert.Equal(1, o200k.Count("<|endoftext|>"));
        Assert.Equal(2, o200k.Count("<|endoftext|><|endofprompt|>"));
        Assert.Equal(1, Tokenizers.For(Tokenizers.Cl100k).Count("<|fim_middle|>"));
        Assert.True(o200k.Count("<|fim_middle|>") > 1, "fim tokens are not special in o200k_base");
        Assert.True(o200k.Count("<|endoftext|") > 1);
    }

    [Fact]
    public void Counting_AllocatesNothing()
    {
        var counter = Tokenizers.For(Tokenizers.O200k);
        var text = "The quick brown fox — «быстрая лиса» — 素早い狐 😀 jumps over 1234567 lazy dogs!\n\n<|endoftext|> "
            + new string('z', 300) + " {\"json\": [1, 2, 3]}";
        var utf8 = Encoding.UTF8.GetBytes(text);
        var expected = counter.Count(text);
        Assert.Equal(expected, counter.CountUtf8(utf8));

        var before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        for (var i = 0; i < 100; i++) sum += counter.Count(text) + counter.CountUtf8(utf8);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(200L * expected, sum);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ALongRunOfOneLetter_IsCountedInLinearithmicTime()
    {
        // A 400,000-letter word is one piece; merged pair by pair with a linear scan it would take
        // ~10^11 steps (hours). The heap merge takes milliseconds; the bound leaves room for a slow host.
        var counter = Tokenizers.For(Tokenizers.O200k);
        var text = new string('q', 400_000);
        var watch = Stopwatch.StartNew();
        var count = counter.Count(text);
        watch.Stop();
        Assert.InRange(count, 400_000 / 16, 400_000 / 2);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void BothVocabularies_TakeUnder6MegabytesOfHeap()
    {
        // Microsoft.ML.Tokenizers' dictionaries for the same two vocabularies take ~63 MB of heap.
        // Counted from what the counters hold, not read from the GC: with the other tests running in
        // the same process, heap readings before and after loading moved by tens of MB either way
        // (once -24 MB, once -29 MB), even after settling the heap with repeated full collections.
        var ours = new[] { Tokenizers.O200k, Tokenizers.Cl100k }.Select(BpeCounter.Load).ToArray();

        Assert.Equal(199_998, ours[0].VocabularySize);
        Assert.Equal(100_256, ours[1].VocabularySize);
        var held = ours.Select(HeldBytes).ToArray();
        Assert.Equal(ours.Select(counter => counter.FootprintBytes), held);
        Assert.InRange(held.Sum(), 2L << 20, 6L << 20);
    }

    /// <summary>
    /// What one counter holds: the bytes of its arrays. Every field must be an array of a primitive
    /// type, a value, the shared pattern or the few special tokens, so that a new field of another
    /// kind (a dictionary, say) fails here until it is accounted for.
    /// </summary>
    private static long HeldBytes(BpeCounter counter)
    {
        long bytes = 0;
        foreach (var field in typeof(BpeCounter).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            switch (field.GetValue(counter))
            {
                case null or ValueType or Regex or string[]:
                    break;
                case Array array when array.GetType().GetElementType()!.IsPrimitive:
                    bytes += Buffer.ByteLength(array);
                    break;
                case var other:
                    Assert.Fail($"BpeCounter.{field.Name} holds a {other.GetType()}, which this count does not know.");
                    break;
            }
        }
        return bytes;
    }

    [Fact]
    public void Merges_GoLowestRankFirst_InShortAndLongPieces()
    {
        // a b c d, then bc (4) before ab (5) and cd (6): "abcd" merges bc first and ends a|bc|d —
        // three tokens, where merging left to right (ab, cd) would give two.
        var counter = Tiny("YQ== 0", "Yg== 1", "Yw== 2", "ZA== 3", "YmM= 4", "YWI= 5", "Y2Q= 6");
        Assert.Equal(3, counter.Count("abcd"));
        Assert.Equal(1, counter.Count("ab"));
        Assert.Equal(2, counter.Count("abc"));
        // 202 bytes: the heap merge; every "bc" merges, nothing longer is a token.
        Assert.Equal(102, counter.Count("a" + string.Concat(Enumerable.Repeat("bc", 100)) + "d"));
        // Pieces are cut by the pattern first: "ab cd" is "ab" and " cd", and " " is no token but a byte.
        Assert.Equal(1 + 2, Tiny("YQ== 0", "Yg== 1", "Yw== 2", "ZA== 3", "IA== 7", "YWI= 5", "Y2Q= 6").Count("ab cd"));
    }

    [Fact]
    public void VocabularyFiles_WithoutRanks_RankByLine_AndMalformedLinesAreRefused()
    {
        // Ranked by line: "bc" (line 5) before "ab" (line 6), as above.
        var counter = Tiny("Capacity: 7", "YQ==", "Yg==", "Yw==", "ZA==", "YmM=", "YWI=", "Y2Q=");
        Assert.Equal(7, counter.VocabularySize);
        Assert.Equal(3, counter.Count("abcd"));

        var notBase64 = Assert.Throws<InvalidDataException>(() => Tiny("YQ== 0", "not*base64 1"));
        Assert.Contains("Line 2", notBase64.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => Tiny("YQ== zero"));
    }

    private static BpeCounter Tiny(params string[] lines) =>
        BpeCounter.Parse("tiny", new StringReader(string.Join('\n', lines)), new System.Text.RegularExpressions.Regex(@" ?\S+|\s+"), ["<|end|>"]);

    [Fact]
    public void UnknownEncodings_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BpeCounter.Load("p50k_base"));
    }

    private static string Generate(Random random, int fragments)
    {
        var text = new StringBuilder();
        for (var i = 0; i < fragments; i++)
        {
            switch (random.Next(10))
            {
                case 0:
                    text.Append((char)random.Next(0x20, 0x7F));
                    break;
                case 1:
                    text.Append(char.ConvertFromUtf32(RandomScalar(random)));
                    break;
                default:
                    text.Append(Fragments[random.Next(Fragments.Length)]);
                    break;
            }
        }
        return text.ToString();
    }

    private static int RandomScalar(Random random)
    {
        while (true)
        {
            var scalar = random.Next(3) switch { 0 => random.Next(0x80, 0x800), 1 => random.Next(0x800, 0x10000), _ => random.Next(0x10000, 0x110000) };
            if (scalar is < 0xD800 or > 0xDFFF) return scalar;
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder();
        foreach (var c in text) escaped.Append(c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString());
        return escaped.ToString();
    }

    /// <summary>
    /// Microsoft.ML.Tokenizers' tokenizers. Text with a special token is counted by a fresh instance:
    /// the library recognises a special token through an entry in its bounded word cache, and once
    /// enough other words have pushed that entry out it counts <c>&lt;|endoftext|&gt;</c> as 7 tokens
    /// (seen here: a quarter of the generated texts counted 6 higher by the long-lived instance).
    /// </summary>
    private sealed class LibraryReference
    {
        private readonly Dictionary<string, Tokenizer> _tokenizers = Encodings.ToDictionary(name => name, name => (Tokenizer)TiktokenTokenizer.CreateForEncoding(name));

        public int Count(string encoding, string text)
        {
            if (text.Contains("<|", StringComparison.Ordinal)) return TiktokenTokenizer.CreateForEncoding(encoding).CountTokens(text);
            lock (_tokenizers) return _tokenizers[encoding].CountTokens(text);
        }
    }
}

[CollectionDefinition(BpeCounterTests.Alone, DisableParallelization = true)]
public sealed class HeapMeasuringCollection;
