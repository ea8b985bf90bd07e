using System.Text;
using System.Text.Json;
using Gateway.Contracts.Snapshot;
using Gateway.Contracts.ContentGuard;

namespace Gateway.Contracts.Tests.ContentGuard;

/// <summary>
/// The scan of a whole JSON body: every string value, unescaped first; property names left alone;
/// where the first finding is; and the redacted body, still valid JSON with everything else as it was.
/// </summary>
public sealed class ContentScannerTests
{
    private static readonly CompiledGuard Cards = CompiledGuard.Of(new ContentGuardSpec(GuardAction.Block, [ContentDetector.PaymentCard]))!;

    private static readonly CompiledGuard Everything = CompiledGuard.Of(new ContentGuardSpec(GuardAction.Redact,
        [ContentDetector.PaymentCard, ContentDetector.Iban, ContentDetector.Credential]) { Patterns = ["(?i)project\\s+falcon", "FALCON-[0-9]+"] })!;

    [Fact]
    public void AGuard_IsCompiledOnce_ForEverySnapshotThatHoldsIt()
    {
        var spec = new ContentGuardSpec(GuardAction.Block, [ContentDetector.Iban]) { Patterns = ["ONCE-[0-9]+"] };
        var same = new ContentGuardSpec(GuardAction.Block, [ContentDetector.Iban]) { Patterns = ["ONCE-[0-9]+"] };
        Assert.Same(CompiledGuard.Of(spec), CompiledGuard.Of(same));
        Assert.NotSame(CompiledGuard.Of(spec), CompiledGuard.Of(same with { Patterns = ["ONCE-[0-9]*"] }));
        Assert.Null(CompiledGuard.Of(null));
    }

    [Fact]
    public void ABodyWithNothingToFind_HasNoFindings()
    {
        var body = """{"model":"m","messages":[{"role":"user","content":"Order 1234567812345670 shipped on 2026-11-28, call +44 20 7946 0958"}],"max_tokens":5}""";
        Assert.Null(ContentScanner.Scan(Encoding.UTF8.GetBytes(body), Everything, redact: true));
    }

    [Fact]
    public void EscapedDigits_HideNoCard()
    {
        var body = """{"model":"m","messages":[{"role":"user","content":"card \u0034111\u00201111 1111 1111 please"}]}""";
        var findings = ContentScanner.Scan(Encoding.UTF8.GetBytes(body), Cards, redact: false);
        Assert.NotNull(findings);
        Assert.Equal(1, findings.Counts[(int)FindingKind.PaymentCard]);
    }

    [Fact]
    public void InlineDataUrls_AreNotScanned_TheTextBesideThemIs()
    {
        // Base64 is not text a detector can read: an image's bytes would pass an IBAN's checks now and then.
        var image = "data:image/png;base64," + Convert.ToBase64String(Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray()) + "+DE89370400440532013000+";
        var body = $$$"""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"{{{image}}}"}},{"type":"text","text":"what is this?"}]}]}""";
        Assert.Null(ContentScanner.Scan(Encoding.UTF8.GetBytes(body), Everything, redact: false));
        var withText = Encoding.UTF8.GetBytes(body.Replace("what is this?", "pay DE89370400440532013000", StringComparison.Ordinal));
        Assert.Equal("messages[0].content[1].text", ContentScanner.PathAt(withText, ContentScanner.Scan(withText, Everything, redact: false)!.FirstTokenStart));
        // A string that only starts like one is text.
        Assert.NotNull(ContentScanner.Scan("""{"prompt":"data: DE89370400440532013000"}"""u8, Everything, redact: false));
    }

    [Fact]
    public void PropertyNames_AreNotScanned_NumbersAreNotStrings()
    {
        var body = """{"model":"m","metadata":{"4111111111111111":"x"},"seed":4111111111111111,"messages":[]}""";
        Assert.Null(ContentScanner.Scan(Encoding.UTF8.GetBytes(body), Cards, redact: false));
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"card 4111111111111111"}]}""", "messages[1].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"text","text":"4111111111111111"}]}]}""", "messages[0].content[1].text")]
    [InlineData("""{"model":"m","input":["a","b","4111 1111 1111 1111"]}""", "input[2]")]
    [InlineData("""{"model":"m","prompt":"4111111111111111"}""", "prompt")]
    [InlineData("""{"model":"m","tools":[{"type":"function","function":{"name":"pay","parameters":{"type":"object"}}}],"messages":[{"role":"tool","content":"{\"pan\":\"4111111111111111\"}"}]}""", "messages[0].content")]
    public void TheFirstFinding_IsNamedByItsJsonPath(string body, string path)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var findings = ContentScanner.Scan(bytes, Cards, redact: false)!;
        Assert.Equal(path, ContentScanner.PathAt(bytes, findings.FirstTokenStart));
    }

    [Fact]
    public void Redaction_ReplacesEachFinding_AndKeepsTheRestByteForByte()
    {
        var body = """
            {"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Pay DE89 3704 0044 0532 0130 00 from 4111111111111111 for Project  Falcon, key AKIAIOSFODNN7EXAMPLE. Grüße \u00e9"}],
             "max_tokens":50}
            """;
        var findings = ContentScanner.Scan(Encoding.UTF8.GetBytes(body), Everything, redact: true)!;
        Assert.Equal([1, 1, 1, 1], findings.Counts);
        var redacted = Encoding.UTF8.GetString(findings.Redacted!);
        var content = JsonDocument.Parse(redacted).RootElement.GetProperty("messages")[0].GetProperty("content").GetString();
        Assert.Equal("Pay [REDACTED:iban] from [REDACTED:payment-card] for [REDACTED:pattern], key [REDACTED:credential]. Grüße é", content);
        Assert.StartsWith("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Pay [REDACTED:iban]""", redacted, StringComparison.Ordinal);
        Assert.EndsWith("""
            "}],
             "max_tokens":50}
            """, redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIA", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlappingFindings_AreRedactedOnce()
    {
        // "FALCON-4111111111111111" is a pattern finding that holds a card finding.
        var body = """{"model":"m","prompt":"see FALCON-4111111111111111 now"}""";
        var findings = ContentScanner.Scan(Encoding.UTF8.GetBytes(body), Everything, redact: true)!;
        var prompt = JsonDocument.Parse(findings.Redacted!).RootElement.GetProperty("prompt").GetString();
        Assert.Equal("see [REDACTED:pattern] now", prompt);
        Assert.Equal(1, findings.Counts[(int)FindingKind.Pattern]);
    }

    [Fact]
    public void Redaction_OfEscapedText_WritesValidJson()
    {
        var body = """{"model":"m","prompt":"line1\nquote \" card \u0034111111111111111\ttab"}""";
        var findings = ContentScanner.Scan(Encoding.UTF8.GetBytes(body), Cards, redact: true)!;
        Assert.Equal("line1\nquote \" card [REDACTED:payment-card]\ttab", JsonDocument.Parse(findings.Redacted!).RootElement.GetProperty("prompt").GetString());
    }

    [Fact]
    public void Try_OnAText_SaysWhatItFinds_AndShowsTheRedaction()
    {
        var trial = ContentScanner.Try(Everything, "Refund 4111 1111 1111 1111 for project falcon, twice: 5555555555554444");
        Assert.Equal(2, trial.Counts[(int)FindingKind.PaymentCard]);
        Assert.Equal(1, trial.Counts[(int)FindingKind.Pattern]);
        Assert.Equal("payment-card×2, pattern×1", trial.Summary);
        Assert.Equal("Refund [REDACTED:payment-card] for [REDACTED:pattern], twice: [REDACTED:payment-card]", trial.Redacted);
        var nothing = ContentScanner.Try(Everything, "nothing here");
        Assert.Equal(0, nothing.Total);
        Assert.Equal("", nothing.Summary);
        Assert.Equal("nothing here", nothing.Redacted);
    }

    [Fact]
    public void Summary_NamesKindsAndCounts_NeverTheText()
    {
        var body = """{"model":"m","input":["4111111111111111","5555555555554444","DE89370400440532013000"]}""";
        var findings = ContentScanner.Scan(Encoding.UTF8.GetBytes(body), Everything, redact: false)!;
        Assert.Equal("payment-card×2, iban×1", findings.Summary());
        Assert.Equal(3, findings.Total);
    }
}
