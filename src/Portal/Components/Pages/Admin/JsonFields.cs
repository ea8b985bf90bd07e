using System.Text.Json;

namespace Gateway.Portal.Components.Pages.Admin;

/// <summary>
/// A record's JSON (an audit event's before or after) as field paths and values, so that a
/// reviewer reads what a change alters (<c>prices.inputPerMillion: 0.15 → 0.2</c>) rather than two blobs.
/// </summary>
internal static class JsonFields
{
    private static readonly JsonSerializerOptions Indent = new() { WriteIndented = true };

    public sealed record Difference(string Field, string? Before, string? After);

    /// <summary>The fields whose values differ, in the records' order (all of them for a record created or deleted).</summary>
    public static IReadOnlyList<Difference> Compare(string? before, string? after)
    {
        var old = Flatten(before);
        var @new = Flatten(after);
        return [.. old.Keys.Union(@new.Keys)
            .Where(field => old.GetValueOrDefault(field) != @new.GetValueOrDefault(field))
            .Select(field => new Difference(field, old.GetValueOrDefault(field), @new.GetValueOrDefault(field)))];
    }

    /// <summary>The JSON indented for reading; as it came when it is not JSON; a dash for none.</summary>
    public static string Readable(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return "—";
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Indent);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static Dictionary<string, string> Flatten(string? json)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json)) return fields;
        try
        {
            using var document = JsonDocument.Parse(json);
            Add(fields, "", document.RootElement);
        }
        catch (JsonException)
        {
            fields["(record)"] = json;
        }
        return fields;
    }

    private static void Add(Dictionary<string, string> fields, string path, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject()) Add(fields, path.Length == 0 ? property.Name : $"{path}.{property.Name}", property.Value);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) Add(fields, $"{path}[{i++}]", item);
                if (i == 0) fields[path] = "[]";
                break;
            case JsonValueKind.String:
                fields[path.Length == 0 ? "(value)" : path] = element.GetString() ?? "";
                break;
            default:
                fields[path.Length == 0 ? "(value)" : path] = element.GetRawText();
                break;
        }
    }
}
