using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Gateway.ControlPlane.Infrastructure;

/// <summary>
/// Text the admin API takes is plain text: no control characters other than tab and line breaks,
/// in the path, the query or any string of a JSON body. PostgreSQL refuses a NUL in any text (a
/// query's parameter as much as a stored value), so one reached the database as an error and the
/// caller got a 500 instead of a 400; the other control characters have no place in names, ids,
/// reasons or justifications, and would be carried into the audit trail and its exports.
/// </summary>
internal static class PlainText
{
    public const string Rule = "may not contain control characters (other than tab and line breaks)";

    private static readonly SearchValues<char> Refused = SearchValues.Create(
        [.. Enumerable.Range(0, 32).Select(c => (char)c).Where(c => c is not ('\t' or '\n' or '\r')), '\u007f']);

    public static bool HasControlCharacters(ReadOnlySpan<char> text) => text.ContainsAny(Refused);

    /// <summary>
    /// Text a proxy sent about itself (its node, host name, version, a batch's id), kept as far as it
    /// goes: cut to <paramref name="max"/> characters, any control character shown as '?'. Such text
    /// is the proxy's, not ours to refuse, and PostgreSQL refuses a NUL.
    /// </summary>
    public static string Printable(string value, int max)
    {
        var cut = value.Length <= max ? value : value[..max];
        if (!HasControlCharacters(cut)) return cut;
        return string.Create(cut.Length, cut, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++) span[i] = Refused.Contains(text[i]) ? '?' : text[i];
        });
    }

    /// <summary>
    /// The admin API's guard, after authorization: a 400 problem naming the path and query, or the
    /// body's field, that has a control character. Only JSON bodies are read (buffered, then rewound
    /// for the endpoint); a raw control character is not valid JSON anyway, so only escaped ones
    /// (<c>\u0000</c>) are looked for.
    /// </summary>
    public static async Task GuardAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if (HasControlCharacters(request.Path.Value) || HasControlCharacters(Uri.UnescapeDataString(request.QueryString.Value ?? "")))
            throw new BadHttpRequestException($"The path and query {Rule}.", StatusCodes.Status400BadRequest);
        if (request.HasJsonContentType() && (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0))
        {
            request.EnableBuffering();
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted);
            request.Body.Position = 0;
            if (FieldWithControlCharacters(body.GetBuffer().AsSpan(0, (int)body.Length)) is { } field) throw new ControlCharacterException(field);
        }
        await next();
    }

    /// <summary>The first field (<c>limits.name</c>, <c>deployments[0].id</c>) whose string or name has a control character, else null; null too for JSON that does not parse (the endpoint's binding says why).</summary>
    internal static string? FieldWithControlCharacters(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var path = new List<(string? Name, int Index)>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        if (path.Count > 0) path[^1] = (name, -1);
                        if (reader.ValueIsEscaped && HasControlCharacters(name)) return Field(path);
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Next(path);
                        path.Add((null, reader.TokenType == JsonTokenType.StartArray ? -1 : -2));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.String:
                        Next(path);
                        if (reader.ValueIsEscaped && HasControlCharacters(reader.GetString())) return Field(path);
                        break;
                    default:
                        Next(path);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }

    /// <summary>A value in an array moves its index on (an object's values are named by their property).</summary>
    private static void Next(List<(string? Name, int Index)> path)
    {
        if (path.Count > 0 && path[^1] is { Name: null, Index: >= -1 } array) path[^1] = (null, array.Index + 1);
    }

    private static string Field(List<(string? Name, int Index)> path)
    {
        var field = new StringBuilder();
        foreach (var (name, index) in path)
        {
            if (name is not null) field.Append(field.Length > 0 ? "." : "").Append(name);
            else if (index >= 0) field.Append('[').Append(index).Append(']');
        }
        return field.Length == 0 ? "body" : field.ToString();
    }
}

/// <summary>A JSON string with control characters: the problem names its field.</summary>
internal sealed class ControlCharacterException(string field) : Exception(PlainText.Rule)
{
    public string Field { get; } = field;
}
