using Gateway.Contracts.Snapshot;

namespace Gateway.Portal.Components.Shared;

/// <summary>
/// How a version's content guard reads on the page. Patterns are only counted: their texts may name
/// confidential projects, so only the guard's own dialog (platform admins) shows them.
/// </summary>
internal static class GuardText
{
    /// <summary>A detector as a checkbox label or in a sentence's list (<c>Payment card numbers</c>).</summary>
    public static string Title(ContentDetector detector) => detector switch
    {
        ContentDetector.PaymentCard => "Payment card numbers",
        ContentDetector.Iban => "IBANs",
        ContentDetector.Credential => "Credentials",
        _ => ContentGuardRules.NameOf(detector),
    };

    /// <summary>A table cell: <c>Blocks: payment card, IBAN</c>, <c>Redacts: credential, 2 patterns</c>, or a dash for none.</summary>
    public static string Summary(ContentGuardSpec? guard)
    {
        if (guard is null) return "—";
        var found = Ordered(guard).Select(Short).Concat(Patterns(guard) is var n and > 0 ? [Count(n)] : []);
        return $"{(guard.Action == GuardAction.Block ? "Blocks" : "Redacts")}: {string.Join(", ", found)}";
    }

    /// <summary>One sentence for a team about to build on <paramref name="version"/>: what its requests are screened for and what happens; null without a guard.</summary>
    public static string? Screening(string version, ContentGuardSpec? guard)
    {
        if (guard is null) return null;
        var found = Ordered(guard).Select(Plural).ToList();
        if (Patterns(guard) is var n and > 0) found.Add($"text matching {Count(n)} set by the platform team");
        return guard.Action == GuardAction.Block
            ? $"Requests to {version} are screened: one containing {Join(found, "or")} is refused (400 content_policy_violation) and nothing is sent to the provider."
            : $"Requests to {version} are screened: {Join(found, "and")} are replaced with [REDACTED:…] and the rest is sent to the provider.";
    }

    private static IEnumerable<ContentDetector> Ordered(ContentGuardSpec guard) => (guard.Detectors ?? []).Distinct().Order();

    private static int Patterns(ContentGuardSpec guard) => guard.Patterns?.Count ?? 0;

    private static string Count(int patterns) => patterns == 1 ? "1 pattern" : $"{patterns} patterns";

    private static string Short(ContentDetector detector) => detector switch
    {
        ContentDetector.PaymentCard => "payment card",
        ContentDetector.Iban => "IBAN",
        ContentDetector.Credential => "credential",
        _ => ContentGuardRules.NameOf(detector),
    };

    private static string Plural(ContentDetector detector) => detector switch
    {
        ContentDetector.PaymentCard => "payment card numbers",
        ContentDetector.Iban => "IBANs",
        ContentDetector.Credential => "credentials (API keys, tokens, private keys)",
        _ => ContentGuardRules.NameOf(detector),
    };

    private static string Join(IReadOnlyList<string> items, string conjunction) =>
        items.Count <= 1 ? string.Concat(items) : $"{string.Join(", ", items.Take(items.Count - 1))} {conjunction} {items[^1]}";
}
