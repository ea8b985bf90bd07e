using Gateway.Portal.Components.Shared;

namespace Gateway.Portal.Components.Pages.Keys;

/// <summary>
/// The state of a key dialog's "Allowed networks" field (<see cref="NetworksField"/>): the typed
/// text, the form's own objection to it, else the API's, naming the entry it refused.
/// </summary>
public sealed class NetworksInput(FieldErrors errors, IReadOnlyList<string>? current = null)
{
    private string? _problem;
    private List<string> _sent = [];

    /// <summary>The field's text; prefilled with <c>current</c>, one network a line.</summary>
    public string? Text { get; private set; } = current is { Count: > 0 } ? string.Join('\n', current) : null;

    public string? Error => _problem ?? (errors.ForList("allowedNetworks") is var (index, message) ? NetworkList.Describe(_sent, index, message) : null);

    public void Change(string? text)
    {
        Text = text;
        _problem = NetworkList.Problem(NetworkList.Split(text));
    }

    /// <summary>The entries to send (null when none: any network); false when the form refuses them, <see cref="Error"/> saying why.</summary>
    public bool TryTake(out List<string>? networks)
    {
        var entries = NetworkList.Split(Text);
        _problem = NetworkList.Problem(entries);
        networks = entries.Count == 0 ? null : entries;
        if (_problem is not null) return false;
        _sent = entries;
        return true;
    }
}
