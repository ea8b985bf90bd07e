using System.Text.Json;
using static Gateway.Proxy.Providers.Translation.JsonWriting;

namespace Gateway.Proxy.Providers.Translation;

/// <summary>
/// An OpenAI chat completions request as an Anthropic Messages request: system/developer
/// messages become <c>system</c>; text and image parts become content blocks; assistant
/// <c>tool_calls</c> become <c>tool_use</c> blocks and <c>tool</c> messages <c>tool_result</c>
/// blocks; tools, tool choice, stop sequences, sampling and <c>max_tokens</c> map across.
/// </summary>
internal static class ChatToMessagesRequest
{
    public static byte[] Translate(ReadOnlyMemory<byte> body, string upstreamModel, int defaultMaxTokens)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (Property(root, "messages") is not { ValueKind: JsonValueKind.Array } messages)
            throw new TranslationException("'messages' must be an array.", "messages");
        if (Property(root, "n") is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out var count) && count != 1)
            throw new TranslationException("This model returns one choice per request; 'n' must be 1.", "n");

        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("model", upstreamModel);
            w.WriteNumber("max_tokens", MaxTokens(root, defaultMaxTokens));
            WriteSystem(w, messages);
            w.WriteStartArray("messages");
            var index = 0;
            foreach (var message in messages.EnumerateArray())
            {
                WriteMessage(w, message, index++);
            }
            w.WriteEndArray();
            if (Property(root, "temperature") is { ValueKind: JsonValueKind.Number } temperature)
                w.WriteNumber("temperature", Math.Min(temperature.GetDouble(), 1.0));
            CopyIfPresent(w, root, "top_p");
            WriteStop(w, Property(root, "stop"));
            if (Property(root, "stream") is { ValueKind: JsonValueKind.True }) w.WriteBoolean("stream", true);
            WriteTools(w, root);
            if (StringOrNull(root, "user") is { } user)
            {
                w.WriteStartObject("metadata");
                w.WriteString("user_id", user);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }, body.Length + 256);
    }

    private static long MaxTokens(JsonElement root, int defaultMaxTokens)
    {
        foreach (var name in (ReadOnlySpan<string>)["max_completion_tokens", "max_tokens"])
        {
            if (Property(root, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var max) && max > 0) return max;
        }
        return defaultMaxTokens;
    }

    private static void WriteSystem(Utf8JsonWriter w, JsonElement messages)
    {
        string? system = null;
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (StringOrNull(message, "role") is "system" or "developer")
            {
                var text = TextOf(Property(message, "content"), $"messages[{index}].content");
                system = system is null ? text : system + "\n\n" + text;
            }
            index++;
        }
        if (system is not null) w.WriteString("system", system);
    }

    private static void WriteMessage(Utf8JsonWriter w, JsonElement message, int index)
    {
        var role = StringOrNull(message, "role");
        var content = Property(message, "content");
        switch (role)
        {
            case "system" or "developer":
                return;
            case "user":
                w.WriteStartObject();
                w.WriteString("role", "user");
                w.WritePropertyName("content");
                WriteUserContent(w, content, $"messages[{index}].content");
                w.WriteEndObject();
                return;
            case "assistant":
                w.WriteStartObject();
                w.WriteString("role", "assistant");
                w.WriteStartArray("content");
                var text = TextOf(content, $"messages[{index}].content");
                if (text.Length > 0)
                {
                    w.WriteStartObject();
                    w.WriteString("type", "text");
                    w.WriteString("text", text);
                    w.WriteEndObject();
                }
                if (Property(message, "tool_calls") is { ValueKind: JsonValueKind.Array } calls)
                {
                    foreach (var call in calls.EnumerateArray()) WriteToolUse(w, call, index);
                }
                w.WriteEndArray();
                w.WriteEndObject();
                return;
            case "tool":
                w.WriteStartObject();
                w.WriteString("role", "user");
                w.WriteStartArray("content");
                w.WriteStartObject();
                w.WriteString("type", "tool_result");
                w.WriteString("tool_use_id", StringOrNull(message, "tool_call_id")
                    ?? throw new TranslationException("A tool message needs 'tool_call_id'.", $"messages[{index}].tool_call_id"));
                w.WriteString("content", TextOf(content, $"messages[{index}].content"));
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                return;
            default:
                throw new TranslationException($"Unsupported message role '{role}'.", $"messages[{index}].role");
        }
    }

    private static void WriteUserContent(Utf8JsonWriter w, JsonElement content, string param)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            w.WriteStringValue(content.GetString());
            return;
        }
        if (content.ValueKind != JsonValueKind.Array)
            throw new TranslationException($"'{param}' must be a string or an array of content parts.", param);
        w.WriteStartArray();
        foreach (var part in content.EnumerateArray())
        {
            switch (StringOrNull(part, "type"))
            {
                case "text":
                    w.WriteStartObject();
                    w.WriteString("type", "text");
                    w.WriteString("text", StringOrNull(part, "text") ?? "");
                    w.WriteEndObject();
                    break;
                case "image_url":
                    var url = StringOrNull(Property(part, "image_url"), "url") ?? StringOrNull(part, "image_url")
                        ?? throw new TranslationException("An image part needs 'image_url.url'.", param);
                    WriteImage(w, url, param);
                    break;
                default:
                    throw new TranslationException($"Content parts of type '{StringOrNull(part, "type")}' are not supported by this model.", param);
            }
        }
        w.WriteEndArray();
    }

    private static void WriteImage(Utf8JsonWriter w, string url, string param)
    {
        w.WriteStartObject();
        w.WriteString("type", "image");
        w.WriteStartObject("source");
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = url.IndexOf(',', StringComparison.Ordinal);
            var header = comma > 0 ? url[5..comma] : "";
            if (comma < 0 || !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
                throw new TranslationException("Image data URLs must be base64 encoded.", param);
            w.WriteString("type", "base64");
            w.WriteString("media_type", header[..^7]);
            w.WriteString("data", url[(comma + 1)..]);
        }
        else
        {
            w.WriteString("type", "url");
            w.WriteString("url", url);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteToolUse(Utf8JsonWriter w, JsonElement call, int index)
    {
        var function = Property(call, "function");
        w.WriteStartObject();
        w.WriteString("type", "tool_use");
        w.WriteString("id", StringOrNull(call, "id") ?? "");
        w.WriteString("name", StringOrNull(function, "name") ?? "");
        w.WritePropertyName("input");
        var arguments = StringOrNull(function, "arguments");
        if (string.IsNullOrWhiteSpace(arguments))
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }
        else
        {
            try
            {
                using var input = JsonDocument.Parse(arguments);
                input.RootElement.WriteTo(w);
            }
            catch (JsonException)
            {
                throw new TranslationException("Tool call arguments must be a JSON object.", $"messages[{index}].tool_calls");
            }
        }
        w.WriteEndObject();
    }

    private static void WriteStop(Utf8JsonWriter w, JsonElement stop)
    {
        if (stop.ValueKind == JsonValueKind.String)
        {
            w.WriteStartArray("stop_sequences");
            w.WriteStringValue(stop.GetString());
            w.WriteEndArray();
        }
        else if (stop.ValueKind == JsonValueKind.Array)
        {
            w.WritePropertyName("stop_sequences");
            stop.WriteTo(w);
        }
    }

    private static void WriteTools(Utf8JsonWriter w, JsonElement root)
    {
        var parallel = Property(root, "parallel_tool_calls").ValueKind != JsonValueKind.False;
        if (Property(root, "tools") is { ValueKind: JsonValueKind.Array } tools)
        {
            w.WriteStartArray("tools");
            foreach (var tool in tools.EnumerateArray())
            {
                var function = Property(tool, "function");
                w.WriteStartObject();
                w.WriteString("name", StringOrNull(function, "name") ?? throw new TranslationException("Every tool needs 'function.name'.", "tools"));
                if (StringOrNull(function, "description") is { } description) w.WriteString("description", description);
                w.WritePropertyName("input_schema");
                if (Property(function, "parameters") is { ValueKind: JsonValueKind.Object } parameters) parameters.WriteTo(w);
                else
                {
                    w.WriteStartObject();
                    w.WriteString("type", "object");
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }

        var choice = Property(root, "tool_choice");
        string? type = null;
        string? name = null;
        if (choice.ValueKind == JsonValueKind.String)
        {
            type = choice.GetString() switch
            {
                "none" => "none",
                "required" => "any",
                _ => "auto",
            };
        }
        else if (choice.ValueKind == JsonValueKind.Object)
        {
            type = "tool";
            name = StringOrNull(Property(choice, "function"), "name") ?? throw new TranslationException("'tool_choice.function.name' is required.", "tool_choice");
        }
        else if (!parallel)
        {
            type = "auto";
        }
        if (type is null) return;
        w.WriteStartObject("tool_choice");
        w.WriteString("type", type);
        if (name is not null) w.WriteString("name", name);
        if (!parallel && type != "none") w.WriteBoolean("disable_parallel_tool_use", true);
        w.WriteEndObject();
    }
}
