using System.Text.Json;
using static Gateway.Proxy.Providers.Translation.JsonWriting;

namespace Gateway.Proxy.Providers.Translation;

/// <summary>
/// An Anthropic Messages request as an OpenAI chat completions request: <c>system</c> becomes a
/// system message; text and image blocks become content parts; <c>tool_use</c> blocks become
/// assistant <c>tool_calls</c> and <c>tool_result</c> blocks <c>tool</c> messages; tools, tool
/// choice, stop sequences and sampling map across. A stream always asks for usage.
/// </summary>
internal static class MessagesToChatRequest
{
    public static byte[] Translate(ReadOnlyMemory<byte> body, string upstreamModel)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (Property(root, "messages") is not { ValueKind: JsonValueKind.Array } messages)
            throw new TranslationException("'messages' must be an array.", "messages");

        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("model", upstreamModel);
            w.WriteStartArray("messages");
            var system = Property(root, "system");
            if (system.ValueKind is JsonValueKind.String or JsonValueKind.Array)
            {
                w.WriteStartObject();
                w.WriteString("role", "system");
                w.WriteString("content", TextOf(system, "system"));
                w.WriteEndObject();
            }
            var index = 0;
            foreach (var message in messages.EnumerateArray())
            {
                WriteMessage(w, message, index++);
            }
            w.WriteEndArray();
            CopyIfPresent(w, root, "max_tokens");
            CopyIfPresent(w, root, "temperature");
            CopyIfPresent(w, root, "top_p");
            CopyIfPresent(w, root, "stop_sequences", "stop");
            if (Property(root, "stream") is { ValueKind: JsonValueKind.True })
            {
                w.WriteBoolean("stream", true);
                w.WriteStartObject("stream_options");
                w.WriteBoolean("include_usage", true);
                w.WriteEndObject();
            }
            WriteTools(w, root);
            if (StringOrNull(Property(root, "metadata"), "user_id") is { } user) w.WriteString("user", user);
            w.WriteEndObject();
        }, body.Length + 256);
    }

    private static void WriteMessage(Utf8JsonWriter w, JsonElement message, int index)
    {
        var role = StringOrNull(message, "role");
        var content = Property(message, "content");
        var param = $"messages[{index}].content";
        if (role is not ("user" or "assistant"))
            throw new TranslationException($"Unsupported message role '{role}'.", $"messages[{index}].role");
        if (content.ValueKind == JsonValueKind.String)
        {
            w.WriteStartObject();
            w.WriteString("role", role);
            w.WriteString("content", content.GetString());
            w.WriteEndObject();
            return;
        }
        if (content.ValueKind != JsonValueKind.Array)
            throw new TranslationException($"'{param}' must be a string or an array of content blocks.", param);

        if (role == "assistant")
        {
            WriteAssistant(w, content, param);
            return;
        }

        // Tool results answer the previous assistant turn, so they come first as tool messages.
        var otherParts = 0;
        foreach (var block in content.EnumerateArray())
        {
            if (StringOrNull(block, "type") != "tool_result")
            {
                otherParts++;
                continue;
            }
            w.WriteStartObject();
            w.WriteString("role", "tool");
            w.WriteString("tool_call_id", StringOrNull(block, "tool_use_id") ?? throw new TranslationException("A tool_result needs 'tool_use_id'.", param));
            w.WriteString("content", TextOf(Property(block, "content"), param));
            w.WriteEndObject();
        }
        if (otherParts == 0) return;
        w.WriteStartObject();
        w.WriteString("role", "user");
        w.WriteStartArray("content");
        foreach (var block in content.EnumerateArray())
        {
            switch (StringOrNull(block, "type"))
            {
                case "tool_result":
                    break;
                case "text":
                    w.WriteStartObject();
                    w.WriteString("type", "text");
                    w.WriteString("text", StringOrNull(block, "text") ?? "");
                    w.WriteEndObject();
                    break;
                case "image":
                    var source = Property(block, "source");
                    var url = StringOrNull(source, "type") switch
                    {
                        "base64" => $"data:{StringOrNull(source, "media_type")};base64,{StringOrNull(source, "data")}",
                        "url" => StringOrNull(source, "url"),
                        _ => null,
                    } ?? throw new TranslationException("Unsupported image source.", param);
                    w.WriteStartObject();
                    w.WriteString("type", "image_url");
                    w.WriteStartObject("image_url");
                    w.WriteString("url", url);
                    w.WriteEndObject();
                    w.WriteEndObject();
                    break;
                default:
                    throw new TranslationException($"Content blocks of type '{StringOrNull(block, "type")}' are not supported by this model.", param);
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteAssistant(Utf8JsonWriter w, JsonElement content, string param)
    {
        var text = new System.Text.StringBuilder();
        var tools = 0;
        foreach (var block in content.EnumerateArray())
        {
            switch (StringOrNull(block, "type"))
            {
                case "text":
                    text.Append(StringOrNull(block, "text"));
                    break;
                case "tool_use":
                    tools++;
                    break;
                case "thinking" or "redacted_thinking":
                    break;
                default:
                    throw new TranslationException($"Content blocks of type '{StringOrNull(block, "type")}' are not supported by this model.", param);
            }
        }
        w.WriteStartObject();
        w.WriteString("role", "assistant");
        if (text.Length > 0 || tools == 0) w.WriteString("content", text.ToString());
        else w.WriteNull("content");
        if (tools > 0)
        {
            w.WriteStartArray("tool_calls");
            foreach (var block in content.EnumerateArray())
            {
                if (StringOrNull(block, "type") != "tool_use") continue;
                w.WriteStartObject();
                w.WriteString("id", StringOrNull(block, "id") ?? "");
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", StringOrNull(block, "name") ?? "");
                var input = Property(block, "input");
                w.WriteString("arguments", input.ValueKind == JsonValueKind.Undefined ? "{}" : input.GetRawText());
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteTools(Utf8JsonWriter w, JsonElement root)
    {
        if (Property(root, "tools") is { ValueKind: JsonValueKind.Array } tools)
        {
            w.WriteStartArray("tools");
            foreach (var tool in tools.EnumerateArray())
            {
                if (StringOrNull(tool, "type") is { } type && type != "custom")
                    throw new TranslationException($"Server tools ('{type}') are not supported by this model.", "tools");
                w.WriteStartObject();
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", StringOrNull(tool, "name") ?? throw new TranslationException("Every tool needs a 'name'.", "tools"));
                if (StringOrNull(tool, "description") is { } description) w.WriteString("description", description);
                CopyIfPresent(w, tool, "input_schema", "parameters");
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (Property(root, "tool_choice") is { ValueKind: JsonValueKind.Object } choice)
        {
            switch (StringOrNull(choice, "type"))
            {
                case "auto":
                    w.WriteString("tool_choice", "auto");
                    break;
                case "any":
                    w.WriteString("tool_choice", "required");
                    break;
                case "none":
                    w.WriteString("tool_choice", "none");
                    break;
                case "tool":
                    w.WriteStartObject("tool_choice");
                    w.WriteString("type", "function");
                    w.WriteStartObject("function");
                    w.WriteString("name", StringOrNull(choice, "name") ?? "");
                    w.WriteEndObject();
                    w.WriteEndObject();
                    break;
            }
            if (Property(choice, "disable_parallel_tool_use").ValueKind == JsonValueKind.True) w.WriteBoolean("parallel_tool_calls", false);
        }
    }
}
