using System.Text.RegularExpressions;
using Gateway.Contracts.Snapshot;

namespace Gateway.Proxy.Policies.ContentGuard;

/// <summary>What a finding is: a built-in detector's, or one of the guard's own patterns.</summary>
internal enum FindingKind
{
    PaymentCard,
    Iban,
    Credential,
    Pattern,
}

/// <summary>A version's <see cref="ContentGuardSpec"/>, its patterns compiled once per snapshot.</summary>
internal sealed class CompiledGuard
{
    public const int Kinds = 4;

    private CompiledGuard(ContentGuardSpec spec, Regex[] patterns)
    {
        Action = spec.Action;
        PaymentCards = spec.Detectors.Contains(ContentDetector.PaymentCard);
        Ibans = spec.Detectors.Contains(ContentDetector.Iban);
        Credentials = spec.Detectors.Contains(ContentDetector.Credential);
        Patterns = patterns;
    }

    public GuardAction Action { get; }

    public bool PaymentCards { get; }

    public bool Ibans { get; }

    public bool Credentials { get; }

    public Regex[] Patterns { get; }

    /// <summary>The guard of <paramref name="spec"/>, or null for none (the snapshot was validated: every pattern compiles).</summary>
    public static CompiledGuard? Of(ContentGuardSpec? spec) =>
        spec is null ? null : new CompiledGuard(spec, [.. (spec.Patterns ?? []).Select(ContentGuardRules.Compile)]);

    /// <summary>A finding's name, as in logs, metrics and the <c>[REDACTED:…]</c> marker.</summary>
    public static string NameOf(FindingKind kind) => kind switch
    {
        FindingKind.PaymentCard => "payment-card",
        FindingKind.Iban => "iban",
        FindingKind.Credential => "credential",
        _ => "pattern",
    };

    /// <summary>A finding described for the application's error message.</summary>
    public static string Describe(FindingKind kind) => kind switch
    {
        FindingKind.PaymentCard => "a payment card number",
        FindingKind.Iban => "an IBAN",
        FindingKind.Credential => "a credential",
        _ => "text matching one of the version's blocked patterns",
    };
}
