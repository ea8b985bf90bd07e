using System.Buffers;

namespace Gateway.Proxy.Policies.Admission;

/// <summary>
/// The <c>o200k_base</c> pre-tokenization pattern, written out by hand for text made only of
/// printable ASCII, tab, CR and LF (most prompts): the same pieces as the regex
/// (<see cref="BpeCounter.O200kPattern"/>), at a fraction of its cost. On that alphabet the pattern's
/// Unicode classes reduce to <c>[A-Z]</c> (upper), <c>[a-z]</c> (lower), <c>[0-9]</c>, the four
/// whitespace characters and the rest (punctuation), and its alternatives, tried in order, to:
/// <list type="number">
/// <item>a letter run, after one optional character that is not CR, LF, a letter or a digit:
/// uppercase letters then lowercase ones (<c>[^\r\n\p{L}\p{N}]?[\p{Lu}…]*[\p{Ll}…]+</c>, or with
/// no lowercase <c>…[\p{Lu}…]+[\p{Ll}…]*</c>), then an optional contraction (<c>'s 't 're 've 'm
/// 'll 'd</c>, any case);</item>
/// <item>one to three digits;</item>
/// <item>an optional space, a punctuation run, then any CR, LF and <c>/</c>;</item>
/// <item>whitespace up to its last CR or LF (<c>\s*[\r\n]+</c>);</item>
/// <item>whitespace not followed by a non-space: all of it at the end of the text, else all but
/// its last character (<c>\s+(?!\S)</c>), else the one character (<c>\s+</c>).</item>
/// </list>
/// Any other character (control characters, non-ASCII) sends the text to the regex. The tests
/// compare the pieces with the regex's on generated text.
/// </summary>
internal static class O200kAscii
{
    /// <summary>The alphabet this cutter handles.</summary>
    public static readonly SearchValues<char> Chars = SearchValues.Create(
        "\t\n\r !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>The length of the piece starting at <paramref name="at"/> (text in <see cref="Chars"/> only).</summary>
    public static int Piece(ReadOnlySpan<char> text, int at)
    {
        var c = text[at];
        var next = at + 1 < text.Length ? text[at + 1] : '\0';

        // A letter run, with one leading character that is not CR, LF, a letter or a digit.
        var letters = IsLetter(c) ? at : IsPrefix(c) && IsLetter(next) ? at + 1 : -1;
        if (letters >= 0)
        {
            var end = letters;
            while (end < text.Length && IsUpper(text[end])) end++;
            while (end < text.Length && IsLower(text[end])) end++;
            return end + Contraction(text, end) - at;
        }

        if (IsDigit(c))
        {
            var end = at + 1;
            while (end < text.Length && end - at < 3 && IsDigit(text[end])) end++;
            return end - at;
        }

        // An optional space, punctuation, then CR, LF and '/'.
        var punctuation = IsPunctuation(c) ? at : c == ' ' && IsPunctuation(next) ? at + 1 : -1;
        if (punctuation >= 0)
        {
            var end = punctuation;
            while (end < text.Length && IsPunctuation(text[end])) end++;
            while (end < text.Length && text[end] is '\r' or '\n' or '/') end++;
            return end - at;
        }

        // Whitespace.
        var run = at;
        var lastNewline = -1;
        while (run < text.Length && IsSpace(text[run]))
        {
            if (text[run] is '\r' or '\n') lastNewline = run;
            run++;
        }
        if (lastNewline >= 0) return lastNewline + 1 - at;
        if (run == text.Length) return run - at;
        return run - 1 > at ? run - 1 - at : 1;
    }

    /// <summary><c>(?i:'s|'t|'re|'ve|'m|'ll|'d)</c> at <paramref name="at"/>: its length, or 0.</summary>
    private static int Contraction(ReadOnlySpan<char> text, int at)
    {
        if (at + 1 >= text.Length || text[at] != '\'') return 0;
        // Setting bit 0x20 lowers an ASCII capital; on this alphabet only the letter itself and its
        // capital map to a given lowercase letter, so no other character can pass as one.
        var first = (char)(text[at + 1] | 0x20);
        if (first is 's' or 't' or 'm' or 'd') return 2;
        if (at + 2 >= text.Length) return 0;
        var second = (char)(text[at + 2] | 0x20);
        return (first, second) is ('r', 'e') or ('v', 'e') or ('l', 'l') ? 3 : 0;
    }

    private static bool IsUpper(char c) => (uint)(c - 'A') <= 'Z' - 'A';

    private static bool IsLower(char c) => (uint)(c - 'a') <= 'z' - 'a';

    private static bool IsLetter(char c) => IsUpper(c) || IsLower(c);

    private static bool IsDigit(char c) => (uint)(c - '0') <= 9;

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    /// <summary><c>[^\r\n\p{L}\p{N}]</c>: space, tab or punctuation.</summary>
    private static bool IsPrefix(char c) => c is not ('\r' or '\n') && !IsLetter(c) && !IsDigit(c);

    /// <summary><c>[^\s\p{L}\p{N}]</c>.</summary>
    private static bool IsPunctuation(char c) => !IsSpace(c) && !IsLetter(c) && !IsDigit(c);
}
