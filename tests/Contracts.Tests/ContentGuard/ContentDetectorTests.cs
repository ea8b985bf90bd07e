using Gateway.Contracts.Keys;
using Gateway.Contracts.ContentGuard;

namespace Gateway.Contracts.Tests.ContentGuard;

/// <summary>
/// The built-in detectors on their own: the card numbers, IBANs and credentials they must find
/// (the schemes' published test numbers, the IBAN registry's examples), and the look-alikes a prompt
/// is full of that they must not (order numbers, timestamps, phone numbers, failed check digits,
/// numbers inside longer numbers or words).
/// </summary>
public sealed class ContentDetectorTests
{
    [Theory]
    [InlineData("4111111111111111")]                 // Visa
    [InlineData("4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("4012888888881881")]
    [InlineData("5555555555554444")]                 // Mastercard
    [InlineData("2223003122003222")]                 // Mastercard 2-series
    [InlineData("378282246310005")]                  // Amex, 15 digits
    [InlineData("3782 822463 10005")]                // Amex grouping 4-6-5
    [InlineData("6011111111111117")]                 // Discover
    [InlineData("3530111333300000")]                 // JCB
    [InlineData("6250941006528599")]                 // UnionPay
    [InlineData("4000 0000 0000 0000 006")]          // 19 digits, 4-4-4-4-3
    public void PaymentCards_AreFound_Whole(string card)
    {
        var text = $"Please refund card {card}, thanks.";
        var found = Cards(text);
        var (start, length) = Assert.Single(found);
        Assert.Equal(card, text.Substring(start, length));
    }

    [Theory]
    [InlineData("4111111111111112")]                 // Luhn fails
    [InlineData("1234567812345670")]                 // Luhn passes, but no card scheme starts with 1
    [InlineData("9111111111111111")]
    [InlineData("1732752000000")]                    // a timestamp in milliseconds
    [InlineData("41111111111111110000")]             // 20 digits: a longer number
    [InlineData("ref4111111111111111")]              // inside an identifier
    [InlineData("4111111111111111abc")]
    [InlineData("41 11 11 11 11 11 11 11")]          // grouped as no card prints
    [InlineData("4111 1111-1111 1111")]              // mixed separators
    [InlineData("4111  1111 1111 1111")]             // two spaces
    [InlineData("+44 20 7946 0958")]                 // a phone number
    [InlineData("411111111111")]                     // 12 digits
    [InlineData("3704 0044 0532 0130 00")]           // an IBAN's grouped digits run on
    public void LookAlikes_AreNotCards(string text) =>
        Assert.Empty(Cards($"Value: {text}."));

    [Theory]
    [InlineData("4111 1111 1111 1111 2026", "4111 1111 1111 1111")]                 // a year after it
    [InlineData("4111-1111-1111-1111-123456", "4111-1111-1111-1111")]
    [InlineData("4111 1111 1111 1111 12 times", "4111 1111 1111 1111")]
    public void AGroupedCard_FollowedByMoreNumbers_IsFound(string text, string card)
    {
        var (start, length) = Assert.Single(Cards(text));
        Assert.Equal(card, text.Substring(start, length));
    }

    [Fact]
    public void TwoGroupedCards_InARow_AreBothFound()
    {
        var text = "4111 1111 1111 1111 5555 5555 5555 4444";
        Assert.Equal(["4111 1111 1111 1111", "5555 5555 5555 4444"], Cards(text).Select(f => text.Substring(f.Item1, f.Item2)));
    }

    [Fact]
    public void SeveralCards_InOneText_AreEachFound()
    {
        var text = "4111111111111111,5555555555554444 and 378282246310005";
        Assert.Equal(3, Cards(text).Count);
    }

    [Theory]
    [InlineData("DE89370400440532013000")]
    [InlineData("DE89 3704 0044 0532 0130 00")]
    [InlineData("GB82WEST12345698765432")]
    [InlineData("GB82 WEST 1234 5698 7654 32")]
    [InlineData("NL91ABNA0417164300")]
    [InlineData("FR1420041010050500013M02606")]
    [InlineData("CH9300762011623852957")]
    [InlineData("NO9386011117947")]                  // the shortest, 15
    [InlineData("de89370400440532013000")]           // written in lower case
    public void Ibans_AreFound_Whole(string iban)
    {
        var text = $"Pay to {iban} today";
        var (start, length) = Assert.Single(Ibans(text));
        Assert.Equal(iban, text.Substring(start, length));
    }

    [Theory]
    [InlineData("DE88370400440532013000")]           // check digits wrong
    [InlineData("DE8937040044053201300")]            // one short
    [InlineData("DE893704004405320130001")]          // one long
    [InlineData("XX89370400440532013000")]           // no such country
    [InlineData("ADE89370400440532013000")]          // inside a word
    [InlineData("DE89 3704 0044 0532 013 000")]      // grouped wrong
    [InlineData("GB33 release notes")]
    public void LookAlikes_AreNotIbans(string text) =>
        Assert.Empty(Ibans($"Ref {text}."));

    [Theory]
    [InlineData("sk-proj-Abcdefghijklmnopqrstuvwx0123")]
    [InlineData("sk-ant-api03-Abcdefghijklmnopqrstuvwx_0123")]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    [InlineData("ghp_0123456789abcdefghijklmnopqrstuvwxyzAB")]
    [InlineData("xoxb-123456789012-abcdefghij")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")]
    public void Credentials_AreFound(string credential)
    {
        var text = $"my key is {credential} ok";
        var (start, length) = Assert.Single(Matches(text));
        Assert.Equal(credential, text.Substring(start, length));
    }

    [Fact]
    public void TheGatewaysOwnKeys_AndPemPrivateKeys_AreCredentials()
    {
        var key = ApiKeyFormat.Compose("abcdefgh1234", "Abcdefghijklmnopqrstuvwxyz0123456789ABCD");
        Assert.Single(Matches($"use {key}"));
        const string Pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234+/abc=\n-----END RSA PRIVATE KEY-----";
        var (start, length) = Assert.Single(Matches($"here:\n{Pem}\nthanks"));
        Assert.Equal(Pem.Length, length);
        Assert.Equal(6, start);
    }

    [Theory]
    [InlineData("sk-short")]
    [InlineData("task-force-alpha-bravo-charlie-delta-echo")]   // "sk-" inside a word
    [InlineData("AKIA1234")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9 is a header alone")]
    [InlineData("-----BEGIN PUBLIC KEY-----")]
    public void LookAlikes_AreNotCredentials(string text) =>
        Assert.Empty(Matches(text));

    private static List<(int, int)> Cards(string text)
    {
        var sink = new ListSink();
        ContentDetectors.PaymentCards(text, ref sink);
        return sink.Found;
    }

    private static List<(int, int)> Ibans(string text)
    {
        var sink = new ListSink();
        ContentDetectors.Ibans(text, ref sink);
        return sink.Found;
    }

    private static List<(int, int)> Matches(string text)
    {
        var sink = new ListSink();
        ContentDetectors.CredentialsIn(text, ref sink);
        return sink.Found;
    }

    private struct ListSink() : IFindingSink
    {
        public List<(int, int)> Found { get; } = [];

        public readonly void Add(int start, int length) => Found.Add((start, length));
    }
}
