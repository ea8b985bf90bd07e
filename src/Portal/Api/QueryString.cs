using System.Globalization;
using System.Reflection;
using System.Text;

namespace Gateway.Portal.Api;

/// <summary>
/// Turns a query record of <c>Gateway.Contracts.Admin</c> (e.g. <c>AccessRequestQuery</c>) into
/// the query string the admin API reads: non-null properties, camelCase names, invariant values.
/// </summary>
internal static class QueryString
{
    public static string Build(string path, object? query)
    {
        if (query is null) return path;
        var builder = new StringBuilder(path);
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var property in query.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (Format(property.GetValue(query)) is not { } value) continue;
            builder.Append(separator).Append(Uri.EscapeDataString(CamelCase(property.Name))).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return builder.ToString();
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        bool b => b ? "true" : "false",
        DateTimeOffset d => d.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        Enum e => JsonNaming.EnumValue(e),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string CamelCase(string name) => string.IsNullOrEmpty(name) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
