using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Gateway.Contracts.Snapshot;

/// <summary>
/// A model version's content guard (data-loss prevention): what the proxies look for in every
/// string of a request's JSON body before it leaves for the provider, and what they do when they
/// find it. A version without one sends what the application sends.
/// </summary>
/// <param name="Action"><c>block</c>: refuse the request (400 <c>content_policy_violation</c>, nothing sent
/// upstream, nothing charged); <c>redact</c>: replace each finding with <c>[REDACTED:detector]</c> and send the rest.</param>
/// <param name="Detectors">The built-in detectors to run.</param>
public sealed record ContentGuardSpec(GuardAction Action, IReadOnlyList<ContentDetector> Detectors)
{
    /// <summary>
    /// Further patterns, as .NET regular expressions matched without backtracking (no look-arounds or
    /// back-references; <c>(?i)</c> for case-insensitive): a bank's project code names, internal host
    /// names, customer-number formats. Each match counts as a <c>pattern</c> finding.
    /// </summary>
    public IReadOnlyList<string>? Patterns { get; init; }

    /// <summary>Equal when the action, the detectors and the patterns are (as sequences, not as list instances).</summary>
    public bool Equals(ContentGuardSpec? other) =>
        other is not null && Action == other.Action
        && (Detectors ?? []).SequenceEqual(other.Detectors ?? [])
        && (Patterns ?? []).SequenceEqual(other.Patterns ?? []);

    public override int GetHashCode() => HashCode.Combine(Action, (Detectors ?? []).Count, (Patterns ?? []).Count);
}

[JsonConverter(typeof(JsonStringEnumConverter<GuardAction>))]
public enum GuardAction
{
    [JsonStringEnumMemberName("block")] Block,
    [JsonStringEnumMemberName("redact")] Redact,
}

[JsonConverter(typeof(JsonStringEnumConverter<ContentDetector>))]
public enum ContentDetector
{
    /// <summary>Payment card numbers (PAN): 13–19 digits, optionally grouped by single spaces or hyphens,
    /// with a card scheme's leading digit and a valid Luhn check digit.</summary>
    [JsonStringEnumMemberName("payment-card")] PaymentCard,

    /// <summary>IBANs: a country's code and length, optionally grouped by single spaces in fours, with valid check digits (ISO 13616, mod 97).</summary>
    [JsonStringEnumMemberName("iban")] Iban,

    /// <summary>Credentials: this gateway's API keys, other providers' <c>sk-</c> keys, AWS access key ids,
    /// GitHub tokens and PEM private keys.</summary>
    [JsonStringEnumMemberName("credential")] Credential,
}

/// <summary>The rules a <see cref="ContentGuardSpec"/> must follow, shared by the control plane's API and the snapshot's validation.</summary>
public static class ContentGuardRules
{
    /// <summary>The most patterns one guard may hold.</summary>
    public const int MaxPatterns = 16;

    /// <summary>The longest pattern, in characters.</summary>
    public const int MaxPatternLength = 256;

    /// <summary>
    /// What the admin API gives in place of each pattern to anyone but a platform admin (a pattern may name
    /// a confidential project): how many patterns there are, not what they say. Not a valid pattern itself.
    /// </summary>
    public const string HiddenPattern = "***";

    /// <summary>The options every pattern is compiled with: no backtracking, so no pattern can take more than linear time.</summary>
    public const RegexOptions PatternOptions = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    /// <summary>The JSON name of a detector, as in findings and redactions (<c>payment-card</c>).</summary>
    public static string NameOf(ContentDetector detector) => detector switch
    {
        ContentDetector.PaymentCard => "payment-card",
        ContentDetector.Iban => "iban",
        ContentDetector.Credential => "credential",
        _ => "unknown",
    };

    /// <summary>
    /// What is wrong with <paramref name="guard"/> on a version of a <paramref name="kind"/> model, as
    /// (field under <paramref name="path"/>, message); empty when nothing. A realtime model cannot be
    /// guarded: its sessions' frames are relayed as they come, not screened.
    /// </summary>
    public static IEnumerable<(string Path, string Message)> Problems(ContentGuardSpec guard, string path, ModelKind kind)
    {
        ArgumentNullException.ThrowIfNull(guard);
        if (kind == ModelKind.Realtime)
        {
            yield return (path, "a realtime model's sessions are relayed frame by frame and cannot be screened; guard a chat, embeddings or inference model");
            yield break;
        }
        var p = path.Length == 0 ? "" : path + ".";
        if (!Enum.IsDefined(guard.Action)) yield return ($"{p}action", "must be 'block' or 'redact'");
        var detectors = guard.Detectors ?? [];
        var patterns = guard.Patterns ?? [];
        for (var i = 0; i < detectors.Count; i++)
        {
            if (!Enum.IsDefined(detectors[i])) yield return ($"{p}detectors[{i}]", "must be 'payment-card', 'iban' or 'credential'");
            else if (detectors.Take(i).Contains(detectors[i])) yield return ($"{p}detectors[{i}]", $"'{NameOf(detectors[i])}' is listed twice");
        }
        if (detectors.Count == 0 && patterns.Count == 0) yield return ($"{p}detectors", "name at least one detector or pattern (or remove the guard)");
        if (patterns.Count > MaxPatterns) yield return ($"{p}patterns", $"at most {MaxPatterns} patterns");
        for (var i = 0; i < patterns.Count; i++)
        {
            if (PatternProblem(patterns[i]) is { } problem) yield return ($"{p}patterns[{i}]", problem);
        }
    }

    /// <summary>Compiles a pattern that <see cref="Problems"/> accepted.</summary>
    public static Regex Compile(string pattern) => new(pattern, PatternOptions);

    private static string? PatternProblem(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern)) return "must not be empty";
        if (pattern.Length > MaxPatternLength) return $"must be at most {MaxPatternLength} characters";
        Regex regex;
        try
        {
            regex = Compile(pattern);
        }
        catch (ArgumentException ex)
        {
            return "is not a valid regular expression: " + ex.Message;
        }
        catch (NotSupportedException ex)
        {
            return "uses what a pattern matched without backtracking cannot (look-arounds, back-references, atomic groups): " + ex.Message;
        }
        // A pattern that matches nothing at all would match everywhere.
        return regex.IsMatch("") ? "must not match the empty text" : null;
    }
}
