using System.Buffers;
using System.Text.RegularExpressions;

namespace Gateway.Contracts.ContentGuard;

/// <summary>
/// The built-in detectors, over the unescaped text of one JSON string. Each reports the ranges it
/// finds; none allocates. A finding is bounded: the characters either side of it are not letters
/// or digits, so a card number is not found inside a longer number or an identifier.
/// </summary>
public static class ContentDetectors
{
    /// <summary>Calls <paramref name="found"/> with each payment card number in <paramref name="text"/>.</summary>
    public static void PaymentCards<TSink>(ReadOnlySpan<char> text, ref TSink found) where TSink : struct, IFindingSink
    {
        var i = 0;
        while (i < text.Length)
        {
            var next = text[i..].IndexOfAnyInRange('0', '9');
            if (next < 0) return;
            i += next;
            if (i > 0 && char.IsLetterOrDigit(text[i - 1]))
            {
                i = SkipWord(text, i);
                continue;
            }
            var end = CardEnd(text, i);
            if (end > 0)
            {
                found.Add(i, end - i);
                i = end;
            }
            else
            {
                i = SkipWord(text, i);
            }
        }
    }

    /// <summary>
    /// Where a card number starting at <paramref name="start"/> ends, or 0. Either 13–19 digits in
    /// a row, or groups split by one kind of separator (a single space or hyphen): a first group of
    /// four, the others of three to six, as cards print (4-4-4-4, 4-6-5, 4-4-4-4-3). Then a card
    /// scheme's first digit (2 to 6) and a valid Luhn check digit. A grouped card followed by more
    /// numbers ("4111 1111 1111 1111 2026") is found: the longest run of its groups that is a card.
    /// </summary>
    private static int CardEnd(ReadOnlySpan<char> text, int start)
    {
        if (text[start] is < '2' or > '6') return 0;
        var first = Digits(text, start);
        if (first >= 13 && first <= 19)
        {
            var end = start + first;
            return (end >= text.Length || !char.IsLetterOrDigit(text[end])) && Luhn(text[start..end]) ? end : 0;
        }
        if (first != 4 || start + 4 >= text.Length || text[start + 4] is not (' ' or '-')) return 0;

        // The ends of the groups, longest first once the run is read.
        var separator = text[start + 4];
        Span<int> ends = stackalloc int[8];
        Span<int> counts = stackalloc int[8];
        var groups = 0;
        var (digits, at) = (4, start + 4);
        while (groups < ends.Length && at + 1 < text.Length && text[at] == separator)
        {
            var group = Digits(text, at + 1);
            if (group is < 3 or > 6) break;
            digits += group;
            at += 1 + group;
            if (at < text.Length && char.IsLetter(text[at])) break; // "1111abc": not a group
            (ends[groups], counts[groups]) = (at, digits);
            groups++;
        }
        for (var g = groups - 1; g >= 0; g--)
        {
            if (counts[g] is < 13 or > 19) continue;
            if (Luhn(text[start..ends[g]])) return ends[g];
        }
        return 0;
    }

    /// <summary>The Luhn (mod 10) check over the digits of <paramref name="text"/>, separators skipped.</summary>
    internal static bool Luhn(ReadOnlySpan<char> text)
    {
        var sum = 0;
        var doubled = false;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            var c = text[i];
            if (c is < '0' or > '9') continue;
            var d = c - '0';
            if (doubled)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    /// <summary>Calls <paramref name="found"/> with each IBAN in <paramref name="text"/>.</summary>
    public static void Ibans<TSink>(ReadOnlySpan<char> text, ref TSink found) where TSink : struct, IFindingSink
    {
        // An IBAN starts with its country's two letters and two check digits: find the digit pairs.
        var i = 2;
        while (i + 1 < text.Length)
        {
            var next = text[i..].IndexOfAnyInRange('0', '9');
            if (next < 0) return;
            i += next;
            var start = i - 2;
            if (start >= 0 && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])
                && char.IsAsciiLetter(text[start]) && char.IsAsciiLetter(text[start + 1])
                && (start == 0 || !char.IsLetterOrDigit(text[start - 1]))
                && IbanEnd(text, start) is > 0 and var end)
            {
                found.Add(start, end - start);
                i = end;
                continue;
            }
            i++;
        }
    }

    /// <summary>Where an IBAN starting at <paramref name="start"/> ends, or 0: the country's length, in one run or in groups of four split by single spaces, mod 97 = 1.</summary>
    private static int IbanEnd(ReadOnlySpan<char> text, int start)
    {
        var length = IbanLength(char.ToUpperInvariant(text[start]), char.ToUpperInvariant(text[start + 1]));
        if (length == 0) return 0;
        Span<char> iban = stackalloc char[34];
        var count = 0;
        var i = start;
        var grouped = start + 4 < text.Length && text[start + 4] == ' ';
        while (i < text.Length && count < length)
        {
            var c = text[i];
            if (grouped && c == ' ')
            {
                // Spaces only between groups of four, and never two in a row.
                if (count % 4 != 0 || i + 1 >= text.Length || !char.IsAsciiLetterOrDigit(text[i + 1])) return 0;
                i++;
                continue;
            }
            if (!char.IsAsciiLetterOrDigit(c)) return 0;
            iban[count++] = char.ToUpperInvariant(c);
            i++;
        }
        if (count != length || (i < text.Length && char.IsLetterOrDigit(text[i]))) return 0;
        if (!char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3])) return 0;
        return Mod97(iban[..count]) == 1 ? i : 0;
    }

    /// <summary>ISO 7064 mod 97-10 over the IBAN rearranged (the first four characters moved to the end, letters as 10–35).</summary>
    internal static int Mod97(ReadOnlySpan<char> iban)
    {
        var remainder = 0;
        for (var k = 0; k < iban.Length; k++)
        {
            var c = iban[(k + 4) % iban.Length];
            remainder = char.IsAsciiDigit(c) ? (remainder * 10 + (c - '0')) % 97 : (remainder * 100 + (c - 'A' + 10)) % 97;
        }
        return remainder;
    }

    /// <summary>The IBAN length of a country (the SWIFT IBAN registry), or 0 for a code without IBANs.</summary>
    internal static int IbanLength(char a, char b) => (a, b) switch
    {
        ('A', 'D') => 24, ('A', 'E') => 23, ('A', 'L') => 28, ('A', 'T') => 20, ('A', 'Z') => 28,
        ('B', 'A') => 20, ('B', 'E') => 16, ('B', 'G') => 22, ('B', 'H') => 22, ('B', 'R') => 29, ('B', 'Y') => 28,
        ('C', 'H') => 21, ('C', 'R') => 22, ('C', 'Y') => 28, ('C', 'Z') => 24,
        ('D', 'E') => 22, ('D', 'K') => 18, ('D', 'O') => 28,
        ('E', 'E') => 20, ('E', 'G') => 29, ('E', 'S') => 24,
        ('F', 'I') => 18, ('F', 'O') => 18, ('F', 'R') => 27,
        ('G', 'B') => 22, ('G', 'E') => 22, ('G', 'I') => 23, ('G', 'L') => 18, ('G', 'R') => 27, ('G', 'T') => 28,
        ('H', 'R') => 21, ('H', 'U') => 28,
        ('I', 'E') => 22, ('I', 'L') => 23, ('I', 'Q') => 23, ('I', 'S') => 26, ('I', 'T') => 27,
        ('J', 'O') => 30, ('K', 'W') => 30, ('K', 'Z') => 20,
        ('L', 'B') => 28, ('L', 'C') => 32, ('L', 'I') => 21, ('L', 'T') => 20, ('L', 'U') => 20, ('L', 'V') => 21, ('L', 'Y') => 25,
        ('M', 'C') => 27, ('M', 'D') => 24, ('M', 'E') => 22, ('M', 'K') => 19, ('M', 'R') => 27, ('M', 'T') => 31, ('M', 'U') => 30,
        ('N', 'L') => 18, ('N', 'O') => 15,
        ('P', 'K') => 24, ('P', 'L') => 28, ('P', 'S') => 29, ('P', 'T') => 25,
        ('Q', 'A') => 29, ('R', 'O') => 24, ('R', 'S') => 22,
        ('S', 'A') => 24, ('S', 'C') => 31, ('S', 'D') => 18, ('S', 'E') => 24, ('S', 'I') => 19, ('S', 'K') => 24, ('S', 'M') => 27,
        ('S', 'T') => 25, ('S', 'V') => 28,
        ('T', 'L') => 23, ('T', 'N') => 24, ('T', 'R') => 26,
        ('U', 'A') => 29, ('V', 'A') => 22, ('V', 'G') => 24, ('X', 'K') => 20,
        _ => 0,
    };

    /// <summary>
    /// Credentials with a recognisable form: <c>sk-</c> keys (this gateway's, OpenAI's, Anthropic's), AWS
    /// access key ids, GitHub and Slack tokens, JSON web tokens, and PEM private keys (header to footer).
    /// </summary>
    public static Regex Credentials { get; } = new(
        @"\bsk-[A-Za-z0-9_\-]{20,}|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{36,}|\bgithub_pat_[A-Za-z0-9_]{22,}|\bxox[abprs]-[A-Za-z0-9\-]{10,}"
        + @"|\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"
        + @"|-----BEGIN [A-Z ]*PRIVATE KEY-----[A-Za-z0-9+/=\s]*(?:-----END [A-Z ]*PRIVATE KEY-----)?",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    /// <summary>What every credential <see cref="Credentials"/> finds starts with: most texts hold none, and are not given to the regex.</summary>
    private static readonly SearchValues<string> CredentialStarts = SearchValues.Create(
        ["sk-", "AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-", "eyJ", "-----BEGIN "],
        StringComparison.Ordinal);

    /// <summary>Calls <paramref name="found"/> with each credential in <paramref name="text"/>.</summary>
    public static void CredentialsIn<TSink>(ReadOnlySpan<char> text, ref TSink found) where TSink : struct, IFindingSink
    {
        if (text.IndexOfAny(CredentialStarts) >= 0) Matches(Credentials, text, ref found);
    }

    /// <summary>Calls <paramref name="found"/> with each match of <paramref name="regex"/>.</summary>
    public static void Matches<TSink>(Regex regex, ReadOnlySpan<char> text, ref TSink found) where TSink : struct, IFindingSink
    {
        foreach (var match in regex.EnumerateMatches(text))
        {
            if (match.Length > 0) found.Add(match.Index, match.Length);
        }
    }

    private static int Digits(ReadOnlySpan<char> text, int start)
    {
        var run = text[start..].IndexOfAnyExceptInRange('0', '9');
        return run < 0 ? text.Length - start : run;
    }

    private static int SkipWord(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && char.IsLetterOrDigit(text[i])) i++;
        return i;
    }
}

/// <summary>Where a detector reports what it found (a struct, so that the calls inline and nothing is boxed).</summary>
public interface IFindingSink
{
    void Add(int start, int length);
}
