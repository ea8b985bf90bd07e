using Gateway.Contracts.ContentGuard;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Components.Shared;

namespace Gateway.Portal.Components.Pages.Admin;

/// <summary>
/// A version's content guard as the admin edits it (<see cref="ContentGuardFields"/>): on or off, the
/// action, the detectors and further patterns one a line. Checked with <see cref="ContentGuardRules"/>
/// (the rules the control plane applies again) before it is sent.
/// </summary>
public sealed class ContentGuardForm
{
    private readonly HashSet<ContentDetector> _detectors;
    private Dictionary<string, string> _problems = [];
    private List<string> _sent = [];
    private bool _enabled;

    /// <param name="current">The version's guard (prefilled), or null: off, and all detectors ticked once it is switched on.</param>
    public ContentGuardForm(ContentGuardSpec? current = null)
    {
        _enabled = current is not null;
        Action = current?.Action ?? GuardAction.Block;
        _detectors = current is null ? [.. Enum.GetValues<ContentDetector>()] : [.. current.Detectors ?? []];
        PatternsText = current?.Patterns is { Count: > 0 } patterns ? string.Join('\n', patterns) : null;
    }

    public bool Enabled
    {
        get => _enabled;
        set
        {
            _enabled = value;
            Recheck();
        }
    }

    public GuardAction Action { get; set; }

    /// <summary>The model's kind: a realtime model cannot be guarded (its sessions are relayed frame by frame, not screened).</summary>
    public ModelKind Kind { get; set; } = ModelKind.Chat;

    public bool CanGuard => Kind != ModelKind.Realtime;

    /// <summary>One pattern a line; blank lines and spaces at either end are ignored.</summary>
    public string? PatternsText { get; private set; }

    public bool Has(ContentDetector detector) => _detectors.Contains(detector);

    public void Set(ContentDetector detector, bool on)
    {
        if (on) _detectors.Add(detector);
        else _detectors.Remove(detector);
        Recheck();
    }

    public void SetPatterns(string? text)
    {
        PatternsText = text;
        Recheck();
    }

    /// <summary>The API's field names <see cref="ContentGuardFields"/> shows, under <paramref name="prefix"/> (for <see cref="FieldErrors.Others"/>).</summary>
    public static string[] Fields(string prefix) => [prefix.TrimEnd('.'), prefix + "action", prefix + "detectors[]", prefix + "patterns[]"];

    public static List<string> Lines(string? text) =>
        [.. (text ?? "").Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0)];

    /// <summary>What to send: null when the guard is off or the model cannot have one (which removes a version's guard).</summary>
    public ContentGuardSpec? ToSpec() => _enabled && CanGuard
        ? new ContentGuardSpec(Action, [.. _detectors.Order()]) { Patterns = Lines(PatternsText) is { Count: > 0 } p ? p : null }
        : null;

    /// <summary>Checks the guard before it is sent; false (with the problems next to the fields) when the form refuses it.</summary>
    public bool Check()
    {
        var spec = ToSpec();
        _problems = spec is null ? [] : ContentGuardRules.Problems(spec, "", Kind).DistinctBy(p => p.Path).ToDictionary(p => p.Path, p => p.Message);
        if (_problems.Count > 0) return false;
        _sent = [.. spec?.Patterns ?? []];
        return true;
    }

    /// <summary>
    /// What the guard as edited (not saved) would do with <paramref name="sample"/>, run by the proxies' own
    /// detectors. A guard the rules refuse is not compiled (a pattern that does not compile would throw):
    /// the tryout names what to fix first, the patterns before the rest.
    /// </summary>
    public GuardTryout Try(string sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (ToSpec() is not { } spec) return new(Action, null, "Switch the guard on to try it.");
        var problems = ContentGuardRules.Problems(spec, "", Kind).ToList();
        if (problems.FirstOrDefault(p => p.Path.StartsWith("patterns", StringComparison.Ordinal)) is { Path: not null } pattern)
        {
            var which = int.TryParse(pattern.Path.AsSpan("patterns".Length).Trim("[]"), out var index)
                ? Describe(Lines(PatternsText), index, pattern.Message)
                : $"{pattern.Message}.";
            return new(spec.Action, null, $"Fix the patterns first: {which}");
        }
        if (problems.Count > 0) return new(spec.Action, null, $"Fix the guard first: {problems[0].Message}.");
        return new(spec.Action, ContentScanner.Try(CompiledGuard.Of(spec)!, sample), null);
    }

    /// <summary>The guard's, action's or detectors' problem: the form's own, else the API's under <paramref name="prefix"/> (<c>contentGuard.</c>).</summary>
    public string? GeneralError(FieldErrors api, string prefix)
    {
        if ((Own("action") ?? Own("detectors")) is { } own) return own;
        if (api[prefix.TrimEnd('.')] is { } guard) return $"The guard: {guard}.";
        if (api[prefix + "action"] is { } action) return $"Action: {action}.";
        return api.ForList(prefix + "detectors") is var (_, message) ? $"Detectors: {message}." : null;
    }

    /// <summary>The patterns' problem, naming the pattern: the form's own, else the API's for what was sent.</summary>
    public string? PatternsError(FieldErrors api, string prefix)
    {
        if (Own("patterns") is { } own) return own;
        return api.ForList(prefix + "patterns") is var (index, message) ? Describe(_sent, index, message) : null;
    }

    private string? Own(string field)
    {
        foreach (var (path, message) in _problems)
        {
            if (path == field) return field == "patterns" ? Describe(_sent, -1, message) : $"{Capital(field)}: {message}.";
            if (path.StartsWith(field + "[", StringComparison.Ordinal) && int.TryParse(path.AsSpan(field.Length + 1, path.Length - field.Length - 2), out var index))
            {
                return field == "patterns" ? Describe(Lines(PatternsText), index, message) : $"{Capital(field)}: {message}.";
            }
        }
        return null;
    }

    private static string Describe(IReadOnlyList<string> patterns, int index, string message) =>
        index >= 0 && index < patterns.Count ? $"'{patterns[index]}' {message}." : $"Patterns: {message}.";

    private static string Capital(string field) => char.ToUpperInvariant(field[0]) + field[1..];

    // After a refused save, the problems follow the edits (what was sent stays what the API's errors name).
    private void Recheck()
    {
        if (_problems.Count == 0) return;
        var sent = _sent;
        Check();
        _sent = sent;
    }
}
