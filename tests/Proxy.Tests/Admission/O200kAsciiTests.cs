using System.Text;
using Gateway.Proxy.Policies.Admission;
using Gateway.Proxy.Tests.Infrastructure;

namespace Gateway.Proxy.Tests.Admission;

/// <summary>
/// The hand-written o200k_base cutter against the published pattern it replaces on ASCII text:
/// the same pieces, in the same places, for every kind of character next to every other, on
/// generated text and on the repository's own documents; and the counter takes it only for text
/// it can cut (o200k_base, ASCII without control characters).
/// </summary>
public sealed class O200kAsciiTests
{
    // Each kind of character the pattern tells apart, and the letters of the contractions in both cases.
    private const string Alphabet = "aAbZzsStTrReEvVmMlLdDxQ'0123456789  \t\r\n/!.,(-_\"#";

    private static readonly string[] Words =
    [
        "don't", "DON'T", "they're", "THEY'RE", "we'll", "I'M", "it's", "'s", "'ll", "'Ve", "'d", "'x", "''s", "HelloWorld",
        "helloWORLD", "ABCdef", "x86_64", "snake_case", "1234567", "3.14", " 42", "  \n  ", "\r\n", "\n\n\t", " !!", "?!\n/",
        "://", "\t(", " (Hello", "((Hi", "{\"role\":\"user\"}", "SELECT * FROM t;", "#!/bin/sh\n", "  trailing  ", "a  b", "a\t b",
    ];

    [Fact]
    public void GeneratedText_IsCutAsThePatternCutsIt()
    {
        var random = new Random(20261127);
        var mismatches = new List<string>();
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder();
            var parts = random.Next(1, 12);
            for (var p = 0; p < parts; p++)
            {
                if (random.Next(3) == 0) text.Append(Words[random.Next(Words.Length)]);
                else for (var n = random.Next(1, 6); n > 0; n--) text.Append(Alphabet[random.Next(Alphabet.Length)]);
            }
            var expected = PatternPieces(text.ToString());
            var actual = HandPieces(text.ToString());
            if (!expected.SequenceEqual(actual)) mismatches.Add($"{Show(text.ToString())}: [{string.Join('|', actual.Select(Show))}] ≠ [{string.Join('|', expected.Select(Show))}]");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of 20000 differ:\n" + string.Join('\n', mismatches.Take(20)));
    }

    [Fact]
    public void EveryPairOfCharacters_IsCutAsThePatternCutsIt()
    {
        var chars = O200kAsciiAlphabet();
        foreach (var a in chars)
        {
            foreach (var b in chars)
            {
                foreach (var text in new[] { $"{a}{b}", $"{a}{b}x", $"x{a}{b}", $" {a}{b}", $"{a}{b}'s", $"{a}{b}  " })
                    Assert.Equal(PatternPieces(text), HandPieces(text));
            }
        }
    }

    [Fact]
    public void TheRepositorysDocuments_AreCutAsThePatternCutsThem()
    {
        var root = Repository.Root();
        var checkedLines = 0;
        foreach (var path in new[] { "README.md", "docs/benchmarks.notes.md", "src/Proxy/README.md", "src/Proxy/Policies/Admission/BpeCounter.cs" })
        {
            foreach (var line in File.ReadAllText(Path.Combine(root, path)).Split("\n\n"))
            {
                if (line.AsSpan().ContainsAnyExcept(O200kAscii.Chars)) continue;
                Assert.Equal(PatternPieces(line), HandPieces(line));
                checkedLines++;
            }
        }
        Assert.True(checkedLines > 100, $"only {checkedLines} ASCII paragraphs checked");
    }

    [Fact]
    public void OnlyO200k_CutsByHand_AndOnlyAsciiText()
    {
        Assert.True(Tokenizers.For(Tokenizers.O200k).CutsAsciiByHand);
        Assert.False(Tokenizers.For(Tokenizers.Cl100k).CutsAsciiByHand);
        Assert.True("Hello, world!\r\n\t{\"a\": [1, 2]} ~`".AsSpan().ContainsAnyExcept(O200kAscii.Chars) is false);
        foreach (var other in new[] { "é", "\u00A0", "\v", "\f", "\u0000", "\u007F", "\u0085", "日" })
            Assert.True(other.AsSpan().ContainsAnyExcept(O200kAscii.Chars), Show(other));
        // Text with a character outside the alphabet is cut by the pattern: its count still matches the pattern's pieces.
        var counter = Tokenizers.For(Tokenizers.O200k);
        Assert.Equal(counter.Count("naïve café"), counter.Count("naïve") + counter.Count(" café"));
    }

    private static List<string> PatternPieces(string text)
    {
        var pieces = new List<string>();
        foreach (var match in BpeCounter.O200kPattern().EnumerateMatches(text)) pieces.Add(text.Substring(match.Index, match.Length));
        return pieces;
    }

    private static List<string> HandPieces(string text)
    {
        var pieces = new List<string>();
        for (var at = 0; at < text.Length;)
        {
            var length = O200kAscii.Piece(text, at);
            Assert.InRange(length, 1, text.Length - at);
            pieces.Add(text.Substring(at, length));
            at += length;
        }
        return pieces;
    }

    private static IEnumerable<char> O200kAsciiAlphabet()
    {
        for (var c = '\0'; c < 0x80; c++)
        {
            if (O200kAscii.Chars.Contains(c)) yield return c;
        }
    }

    private static string Show(string text) => text.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");
}
