using System.Text.Json;
using Gateway.MockLlm.Generation;
using Formula = Gateway.MockLlm.Generation.PromptTokens;
using Gateway.MockLlm.Http;

namespace Gateway.MockLlm.OpenAI;

/// <summary>The parts of a chat completions request MockLlm uses, validated as OpenAI does.</summary>
internal readonly record struct ChatRequest(
    string Model, int PromptTokens, ulong Seed, bool Stream, bool IncludeUsage, int? MaxTokens)
{
    public static ChatRequest Parse(JsonElement root, string? deployment, TokenCounter tokens)
    {
        var model = deployment ?? Json.RequiredString(root, "model", "model");
        var messages = Json.RequiredArray(root, "messages", "messages");
        var stream = Json.OptionalBool(root, "stream", "stream");
        var includeUsage = false;
        var streamOptions = Json.OptionalObject(root, "stream_options", "stream_options");
        if (Json.Has(streamOptions))
        {
            if (!stream) throw new MockHttpException(400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
            includeUsage = Json.OptionalBool(streamOptions, "include_usage", "stream_options.include_usage");
        }
        var maxTokens = Json.OptionalInt(root, "max_completion_tokens", "max_completion_tokens", 1)
            ?? Json.OptionalInt(root, "max_tokens", "max_tokens", 1);
        var n = Json.OptionalInt(root, "n", "n", 1, 128);
        if (n is > 1) throw new MockHttpException(400, "MockLlm answers with one choice: 'n' must be 1.", "n", "unsupported_value");

        var prompt = Formula.ReplyPriming;
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            prompt += CountMessage(message, index++, tokens);
        }
        var tools = Json.Get(root, "tools");
        if (Json.Has(tools))
        {
            if (tools.ValueKind != JsonValueKind.Array) throw Json.WrongType("tools", "an array");
            prompt += tokens.CountRawJson(tools);
        }

        var seed = new RequestSeed("chat");
        seed.Add(model);
        seed.Add(messages);
        seed.Add(tools);
        return new ChatRequest(model, prompt, seed.Value, stream, includeUsage, maxTokens);
    }

    private static int CountMessage(JsonElement message, int index, TokenCounter tokens)
    {
        if (message.ValueKind != JsonValueKind.Object) throw Json.WrongType($"messages[{index}]", "an object");
        var role = Json.Get(message, "role");
        if (role.ValueKind != JsonValueKind.String)
        {
            throw Json.Has(role)
                ? Json.WrongType($"messages[{index}].role", "a string")
                : new MockHttpException(400, $"Missing required parameter: 'messages[{index}].role'.", $"messages[{index}].role", "missing_required_parameter");
        }
        var count = Formula.PerMessage + tokens.CountJsonString(role);
        var content = Json.Get(message, "content");
        count += CountContent(content, $"messages[{index}].content", tokens);
        var name = Json.Get(message, "name");
        if (Json.Has(name))
        {
            if (name.ValueKind != JsonValueKind.String) throw Json.WrongType($"messages[{index}].name", "a string");
            count += tokens.CountJsonString(name) + Formula.PerName;
        }
        var toolCalls = Json.Get(message, "tool_calls");
        if (toolCalls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in toolCalls.EnumerateArray())
            {
                if (call.ValueKind != JsonValueKind.Object) continue;
                var function = Json.Get(call, "function");
                if (function.ValueKind != JsonValueKind.Object) continue;
                count += tokens.CountJsonString(Json.Get(function, "name")) + tokens.CountJsonString(Json.Get(function, "arguments"));
            }
        }
        return count;
    }

    /// <summary>Tokens of a content that is a string, null, or an array of parts (text parts counted).</summary>
    public static int CountContent(JsonElement content, string param, TokenCounter tokens)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.Undefined:
                return 0;
            case JsonValueKind.String:
                return tokens.CountJsonString(content);
            case JsonValueKind.Array:
                var count = 0;
                var i = 0;
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object) throw Json.WrongType($"{param}[{i}]", "an object");
                    var text = Json.Get(part, "text");
                    if (Json.Has(text) && text.ValueKind != JsonValueKind.String) throw Json.WrongType($"{param}[{i}].text", "a string");
                    count += tokens.CountJsonString(text);
                    i++;
                }
                return count;
            default:
                throw Json.WrongType(param, "a string or an array of content parts");
        }
    }
}
