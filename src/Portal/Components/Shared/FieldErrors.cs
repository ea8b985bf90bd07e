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

    /// <summary>Errors for fields the form does not show, as one sentence (or null).</summary>
    public string? Others(params string[] shown)
    {
        if (_problem is null) return null;
        var rest = _problem.Errors.Where(e => !shown.Contains(e.Key, StringComparer.OrdinalIgnoreCase)).Select(e => $"{e.Key} {string.Join(", ", e.Value)}").ToList();
        return rest.Count == 0 ? null : string.Join("; ", rest);
    }
}
