using System.Globalization;

namespace Gateway.Bench.LoadGen;

/// <summary>Minimal <c>--name value</c> parser; repeated names accumulate.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public static Options Parse(ReadOnlySpan<string> args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"expected an option, got '{args[i]}'");
            var name = args[i][2..];
            var value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
            if (!options._values.TryGetValue(name, out var list)) options._values[name] = list = [];
            list.Add(value);
        }
        return options;
    }

    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v[^1] : null;

    public string Required(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required");

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var v) ? v : [];

    public double Double(string name, double fallback) =>
        Get(name) is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : fallback;

    public int Int(string name, int fallback) =>
        Get(name) is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : fallback;

    /// <summary>Headers given as <c>--header 'Name: value'</c>.</summary>
    public IEnumerable<(string Name, string Value)> Headers()
    {
        foreach (var h in All("header"))
        {
            var colon = h.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new ArgumentException($"bad header '{h}'");
            yield return (h[..colon].Trim(), h[(colon + 1)..].Trim());
        }
    }

    public byte[] Body() =>
        Get("body-file") is { } file ? File.ReadAllBytes(file)
        : Get("body") is { } text ? System.Text.Encoding.UTF8.GetBytes(text)
        : [];
}
