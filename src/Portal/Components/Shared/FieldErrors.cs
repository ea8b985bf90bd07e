using Gateway.Portal.Api;

namespace Gateway.Portal.Components.Shared;

/// <summary>A form's per-field errors from the API's 400 problem (keys are camelCase field paths).</summary>
public sealed class FieldErrors
{
    private ApiException? _problem;

    public void Set(Exception? exception) => _problem = exception as ApiException is { IsValidation: true } p ? p : null;

    public void Clear() => _problem = null;

    public bool Has(string field) => this[field] is not null;

    public string? this[string field] => _problem?.ErrorFor(field);

    /// <summary>
    /// The first error of a list field: for the list itself (index -1) or for one of its items
    /// (<c>allowedNetworks[2]</c>: index 2); null when there is none.
    /// </summary>
    public (int Index, string Message)? ForList(string field)
    {
        if (_problem is null) return null;
        foreach (var (key, messages) in _problem.Errors)
        {
            if (messages.Length == 0) continue;
            if (key.Equals(field, StringComparison.OrdinalIgnoreCase)) return (-1, messages[0]);
            if (IsItemOf(key, field, out var index)) return (index, messages[0]);
        }
        return null;
    }

    /// <summary>
    /// Errors for fields the form does not show, as one sentence (or null). A shown name ending in
    /// <c>[]</c> (<c>allowedNetworks[]</c>) covers the list and each of its items.
    /// </summary>
    public string? Others(params string[] shown)
    {
        if (_problem is null) return null;
        var rest = _problem.Errors.Where(e => !shown.Any(s => Covers(s, e.Key))).Select(e => $"{e.Key} {string.Join(", ", e.Value)}").ToList();
        return rest.Count == 0 ? null : string.Join("; ", rest);
    }

    private static bool Covers(string shown, string key) =>
        shown.EndsWith("[]", StringComparison.Ordinal)
            ? key.Equals(shown[..^2], StringComparison.OrdinalIgnoreCase) || IsItemOf(key, shown[..^2], out _)
            : key.Equals(shown, StringComparison.OrdinalIgnoreCase);

    private static bool IsItemOf(string key, string field, out int index)
    {
        index = -1;
        return key.Length > field.Length + 2 && key.StartsWith(field, StringComparison.OrdinalIgnoreCase) && key[field.Length] == '[' && key[^1] == ']'
            && int.TryParse(key.AsSpan(field.Length + 1, key.Length - field.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index);
    }
}
