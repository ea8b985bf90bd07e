using Gateway.Contracts.Keys;

namespace Gateway.Portal.Components.Pages.Keys;

/// <summary>
/// The "Allowed networks" field of the key dialogs (new key, change networks): entries separated by commas, spaces or new lines,
/// checked with <see cref="ClientNetworks"/> (the rules the control plane applies again) before
/// the form is sent.
/// </summary>
internal static class NetworkList
{
    private static readonly char[] Separators = [',', ';', ' ', '\t', '\r', '\n'];

    public static List<string> Split(string? text) => [.. (text ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>What is wrong with the entries, as one sentence about the first problem; null when they are valid.</summary>
    public static string? Problem(IReadOnlyList<string> entries)
    {
        foreach (var (index, message) in ClientNetworks.Problems(entries))
        {
            return Describe(entries, index, message);
        }
        return null;
    }

    /// <summary>A problem with entry <paramref name="index"/> (-1: the list as a whole), naming the entry.</summary>
    public static string Describe(IReadOnlyList<string> entries, int index, string message) =>
        index >= 0 && index < entries.Count ? $"'{entries[index]}' {message}." : $"The key {message} ({entries.Count} given).";
}
