using BenchmarkDotNet.Attributes;
using Gateway.Contracts.Snapshot;
using Gateway.Contracts.ContentGuard;

namespace Gateway.Bench.Micro;

/// <summary>
/// The content guard's scan of a request body (the cost a guarded version adds to every request):
/// the 1 KB chat body with nothing to find (the common case, and arm C's), the same with the
/// credential detector and two patterns on, and a body with a card number, blocked and redacted.
/// </summary>
[MemoryDiagnoser]
public class ContentGuardBenchmarks
{
    private static readonly CompiledGuard Demo = CompiledGuard.Of(new ContentGuardSpec(GuardAction.Block,
        [ContentDetector.PaymentCard, ContentDetector.Iban, ContentDetector.Credential]))!;

    private static readonly CompiledGuard WithPatterns = CompiledGuard.Of(new ContentGuardSpec(GuardAction.Block,
        [ContentDetector.PaymentCard, ContentDetector.Iban, ContentDetector.Credential]) { Patterns = ["(?i)project\\s+falcon", "CUST-[0-9]{8}"] })!;

    private byte[] _clean = null!;
    private byte[] _withCard = null!;

    [GlobalSetup]
    public void Setup()
    {
        _clean = Fixtures.ChatBody();
        var text = System.Text.Encoding.UTF8.GetString(_clean);
        _withCard = System.Text.Encoding.UTF8.GetBytes(text.Replace("The quarterly risk report", "Card 4111 1111 1111 1111: the quarterly risk report", StringComparison.Ordinal));
        if (ContentScanner.Scan(_clean, WithPatterns, redact: false) is not null) throw new InvalidOperationException("the clean body must have nothing to find");
        if (ContentScanner.Scan(_withCard, Demo, redact: false) is null) throw new InvalidOperationException("the card must be found");
    }

    /// <summary>The demo's guard (cards, IBANs, credentials) over the 1 KB chat body: nothing found.</summary>
    [Benchmark(Baseline = true)]
    public bool ScanClean() => ContentScanner.Scan(_clean, Demo, redact: false) is null;

    /// <summary>The same with two patterns of the bank's own.</summary>
    [Benchmark]
    public bool ScanCleanWithPatterns() => ContentScanner.Scan(_clean, WithPatterns, redact: false) is null;

    /// <summary>A body with card numbers, blocked: the findings and the JSON path of the first.</summary>
    [Benchmark]
    public int ScanBlocked()
    {
        var findings = ContentScanner.Scan(_withCard, Demo, redact: false)!;
        return ContentScanner.PathAt(_withCard, findings.FirstTokenStart).Length;
    }

    /// <summary>A body with card numbers, redacted: the new body.</summary>
    [Benchmark]
    public int ScanRedacted() => ContentScanner.Scan(_withCard, Demo, redact: true)!.Redacted!.Length;
}
