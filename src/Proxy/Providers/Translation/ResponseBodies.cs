using System.Text.Json;
using static Gateway.Proxy.Providers.Translation.JsonWriting;

namespace Gateway.Proxy.Providers.Translation;

/// <summary>Whole (non-streaming) responses and error bodies between the OpenAI and Anthropic shapes.</summary>
internal static class ResponseBodies
{
    /// <summary>An Anthropic message as an OpenAI <c>chat.completion</c>.</summary>
    public static byte[] MessageToChatCompletion(ReadOnlySpan<byte> anthropic, long created)
    {
        using var document = JsonDocument.Parse(anthropic.ToArray());
        var root = document.RootElement;
        var content = Property(root, "content");
        var text = new System.Text.StringBuilder();
        var tools = 0;
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                var type = StringOrNull(block, "type");
                if (type == "text") text.Append(StringOrNull(block, "text"));
                else if (type == "tool_use") tools++;
            }
        }
        var usage = Property(root, "usage");
        var cached = LongOrZero(usage, "cache_read_input_tokens");
        var input = LongOrZero(usage, "input_tokens") + cached + LongOrZero(usage, "cache_creation_input_tokens");
        var output = LongOrZero(usage, "output_tokens");

        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", StringOrNull(root, "id") ?? "");
            w.WriteString("object", "chat.completion");
            w.WriteNumber("created", created);
            w.WriteString("model", StringOrNull(root, "model") ?? "");
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            if (text.Length > 0 || tools == 0) w.WriteString("content", text.ToString());
            else w.WriteNull("content");
            w.WriteNull("refusal");
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
                    var arguments = Property(block, "input");
                    w.WriteString("arguments", arguments.ValueKind == JsonValueKind.Undefined ? "{}" : arguments.GetRawText());
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteNull("logprobs");
            w.WriteString("finish_reason", StopReasons.ToOpenAI(StringOrNull(root, "stop_reason")));
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", input);
            w.WriteNumber("completion_tokens", output);
            w.WriteNumber("total_tokens", input + output);
            w.WriteStartObject("prompt_tokens_details");
            w.WriteNumber("cached_tokens", cached);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }, anthropic.Length + 512);
    }

    /// <summary>An OpenAI <c>chat.completion</c> as an Anthropic message.</summary>
    public static byte[] ChatCompletionToMessage(ReadOnlySpan<byte> openAI)
    {
        using var document = JsonDocument.Parse(openAI.ToArray());
        var root = document.RootElement;
        var choice = default(JsonElement);
        if (Property(root, "choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0) choice = choices[0];
        var message = Property(choice, "message");
        var usage = Property(root, "usage");
        var cached = LongOrZero(Property(usage, "prompt_tokens_details"), "cached_tokens");

        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", StringOrNull(root, "id") ?? "");
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", StringOrNull(root, "model") ?? "");
            w.WriteStartArray("content");
            if (StringOrNull(message, "content") is { Length: > 0 } text)
            {
                w.WriteStartObject();
                w.WriteString("type", "text");
                w.WriteString("text", text);
                w.WriteEndObject();
            }
            if (Property(message, "tool_calls") is { ValueKind: JsonValueKind.Array } calls)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    var function = Property(call, "function");
                    w.WriteStartObject();
                    w.WriteString("type", "tool_use");
                    w.WriteString("id", StringOrNull(call, "id") ?? "");
                    w.WriteString("name", StringOrNull(function, "name") ?? "");
                    w.WritePropertyName("input");
                    WriteArguments(w, StringOrNull(function, "arguments"));
                    w.WriteEndObject();
                }
            }
            w.WriteEndArray();
            w.WriteString("stop_reason", StopReasons.ToAnthropic(StringOrNull(choice, "finish_reason")));
            w.WriteNull("stop_sequence");
            w.WriteStartObject("usage");
            w.WriteNumber("input_tokens", LongOrZero(usage, "prompt_tokens") - cached);
            w.WriteNumber("output_tokens", LongOrZero(usage, "completion_tokens"));
            w.WriteNumber("cache_read_input_tokens", cached);
            w.WriteNumber("cache_creation_input_tokens", 0);
            w.WriteEndObject();
            w.WriteEndObject();
        }, openAI.Length + 512);
    }

    /// <summary>Tool arguments as a JSON value (an object when they parse, else an empty object).</summary>
    public static void WriteArguments(Utf8JsonWriter w, string? arguments)
    {
        if (!string.IsNullOrWhiteSpace(arguments))
        {
            try
            {
                using var parsed = JsonDocument.Parse(arguments);
                parsed.RootElement.WriteTo(w);
                return;
            }
            catch (JsonException)
            {
            }
        }
        w.WriteStartObject();
        w.WriteEndObject();
    }

    /// <summary>The error message and type in an upstream error body of either shape, if it is one.</summary>
    public static (string? Message, string? Type) ReadError(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var error = Property(document.RootElement, "error");
            if (error.ValueKind == JsonValueKind.Object) return (StringOrNull(error, "message"), StringOrNull(error, "type"));
            if (error.ValueKind == JsonValueKind.String) return (error.GetString(), null);
            return (StringOrNull(document.RootElement, "message"), null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>An upstream error body in the client's shape (OpenAI's, with <c>type: error</c> on top for Anthropic clients).</summary>
    public static byte[] ErrorBody(ReadOnlySpan<byte> upstream, int status, bool anthropicClient)
    {
        var (message, type) = ReadError(upstream);
        message ??= $"The upstream provider answered {status}.";
        type ??= status switch
        {
            401 => "authentication_error",
            403 => "permission_error",
            404 => "not_found_error",
            429 => "rate_limit_error",
            >= 500 => "api_error",
            _ => "invalid_request_error",
        };
        return Write(w =>
        {
            w.WriteStartObject();
            if (anthropicClient) w.WriteString("type", "error");
            w.WriteStartObject("error");
            w.WriteString("message", message);
            w.WriteString("type", type);
            w.WriteNull("param");
            w.WriteNull("code");
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}

/// <summary>Finish/stop reasons between the two APIs.</summary>
internal static class StopReasons
{
    public static string ToOpenAI(string? anthropic) => anthropic switch
    {
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    };

    public static string ToAnthropic(string? openAI) => openAI switch
    {
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    };
}
