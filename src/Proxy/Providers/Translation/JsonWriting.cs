using System.Buffers;
using System.Text.Json;

namespace Gateway.Proxy.Providers.Translation;

/// <summary>Small helpers shared by the translators.</summary>
internal static class JsonWriting
{
    /// <summary>Writer options for everything the gateway writes: UTF-8 text as is (JSON-escaped only where JSON needs it).</summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(Action<Utf8JsonWriter> write, int capacity = 1024)
    {
        var buffer = new ArrayBufferWriter<byte>(capacity);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Copies a property when present (any JSON type).</summary>
    public static void CopyIfPresent(Utf8JsonWriter writer, JsonElement source, string from, string? to = null)
    {
        if (source.TryGetProperty(from, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            writer.WritePropertyName(to ?? from);
            value.WriteTo(writer);
        }
    }

    public static string? StringOrNull(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static long LongOrZero(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;

    /// <summary>The text of OpenAI content (a string, or an array of parts whose text parts are joined).</summary>
    public static string TextOf(JsonElement content, string param)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString()!;
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return "";
            case JsonValueKind.Array:
                var text = new System.Text.StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.String) text.Append(part.GetString());
                    else if (StringOrNull(part, "text") is { } t) text.Append(t);
                    else throw new TranslationException($"Only text content is supported in '{param}'.", param);
                }
                return text.ToString();
            default:
                throw new TranslationException($"'{param}' must be a string or an array of content parts.", param);
        }
    }

    public static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) ? v : default;
}
