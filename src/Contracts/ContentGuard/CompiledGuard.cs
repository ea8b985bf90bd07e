using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Gateway.Contracts.Snapshot;

namespace Gateway.Contracts.ContentGuard;

/// <summary>What a finding is: a built-in detector's, or one of the guard's own patterns.</summary>
public enum FindingKind
{
    PaymentCard,
    Iban,
    Credential,
    Pattern,
}

/// <summary>A version's <see cref="ContentGuardSpec"/>, its patterns compiled once per snapshot.</summary>
public sealed class CompiledGuard
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

    // Every snapshot revision (a key created, a budget changed) is compiled whole: the guards it did
    // not change are taken from here rather than their patterns compiled again. Bounded: an admin
    // trying many patterns empties it.
    private static readonly ConcurrentDictionary<ContentGuardSpec, CompiledGuard> Compiled = new();
    private const int MaxCompiled = 256;

    /// <summary>The guard of <paramref name="spec"/>, or null for none (the snapshot was validated: every pattern compiles).</summary>
    public static CompiledGuard? Of(ContentGuardSpec? spec)
    {
        if (spec is null) return null;
        if (Compiled.TryGetValue(spec, out var known)) return known;
        if (Compiled.Count >= MaxCompiled) Compiled.Clear();
        return Compiled.GetOrAdd(spec, static s => new CompiledGuard(s, [.. (s.Patterns ?? []).Select(ContentGuardRules.Compile)]));
    }

    /// <summary>A finding's name, as in logs, metrics and the <c>[REDACTED:…]</c> marker.</summary>
    public static string NameOf(FindingKind kind) => kind switch
    {
        FindingKind.PaymentCard => "payment-card",
        FindingKind.Iban => "iban",
        FindingKind.Credential => "credential",
        _ => "pattern",
    };

    /// <summary>Counts by kind as <c>payment-card×2, iban×1</c> (with <paramref name="separator"/> between a kind and its count); kinds not found are left out.</summary>
    public static string Describe(IReadOnlyList<int> counts, string separator) => string.Join(", ",
        Enumerable.Range(0, Kinds).Where(k => counts[k] > 0).Select(k => $"{NameOf((FindingKind)k)}{separator}{counts[k]}"));

    /// <summary>A finding described for the application's error message.</summary>
    public static string Describe(FindingKind kind) => kind switch
    {
        FindingKind.PaymentCard => "a payment card number",
        FindingKind.Iban => "an IBAN",
        FindingKind.Credential => "a credential",
        _ => "text matching one of the version's blocked patterns",
    };
}
