using System.Text.Json;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;
using Formula = Gateway.MockLlm.Generation.PromptTokens;

namespace Gateway.MockLlm.Anthropic;

/// <summary>
/// The parts of an Anthropic <c>POST /v1/messages</c> request MockLlm uses, validated as Anthropic
/// does (<c>model</c>, <c>max_tokens</c> and <c>messages</c> required; roles user/assistant).
/// <see cref="Tool"/> is the tool to call: set when the request has <c>tools</c> and the last user
/// message names one of them.
/// </summary>
internal readonly record struct MessagesRequest(
    string Model, int PromptTokens, ulong Seed, bool Stream, int MaxTokens, JsonElement Tool)
{
    public static MessagesRequest Parse(JsonElement root, TokenCounter tokens)
    {
        var model = Json.RequiredString(root, "model", "model");
        var maxTokens = Json.OptionalInt(root, "max_tokens", "max_tokens", 1)
            ?? throw new MockHttpException(400, "max_tokens: Field required", "max_tokens");
        var messages = Json.RequiredArray(root, "messages", "messages");
        var stream = Json.OptionalBool(root, "stream", "stream");

        var prompt = Formula.ReplyPriming;
        var system = Json.Get(root, "system");
        if (Json.Has(system))
        {
            prompt += Formula.PerMessage + Formula.RoleTokens + CountBlocks(system, "system", tokens);
        }
        var i = 0;
        string? lastUserText = null;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object) throw Json.WrongType($"messages.{i}", "an object");
            var role = Json.RequiredString(message, "role", $"messages.{i}.role");
            if (role is not ("user" or "assistant"))
            {
                throw new MockHttpException(400, $"messages.{i}.role: Input should be 'user' or 'assistant'", $"messages.{i}.role");
            }
            var content = Json.Get(message, "content");
            if (!Json.Has(content)) throw new MockHttpException(400, $"messages.{i}.content: Field required", $"messages.{i}.content");
            prompt += Formula.PerMessage + tokens.CountJsonString(Json.Get(message, "role")) + CountBlocks(content, $"messages.{i}.content", tokens);
            lastUserText = role == "user" ? TextOf(content) : null;
            i++;
        }

        var tools = Json.Get(root, "tools");
        var tool = default(JsonElement);
        if (Json.Has(tools))
        {
            if (tools.ValueKind != JsonValueKind.Array) throw Json.WrongType("tools", "an array");
            prompt += tokens.CountRawJson(tools);
            tool = ChooseTool(tools, lastUserText);
        }

        var seed = new RequestSeed("anthropic.messages");
        seed.Add(model);
        seed.Add(system);
        seed.Add(messages);
        seed.Add(tools);
        return new MessagesRequest(model, prompt, seed.Value, stream, maxTokens, tool);
    }

    /// <summary>A string, or an array of blocks: text, tool_use (name + input JSON), tool_result (its content); others count 0.</summary>
    private static int CountBlocks(JsonElement content, string param, TokenCounter tokens)
    {
        if (content.ValueKind == JsonValueKind.String) return tokens.CountJsonString(content);
        if (content.ValueKind != JsonValueKind.Array) throw Json.WrongType(param, "a string or an array of content blocks");
        var count = 0;
        var i = 0;
        foreach (var block in content.EnumerateArray())
        {
            var at = $"{param}.{i}";
            if (block.ValueKind != JsonValueKind.Object) throw Json.WrongType(at, "an object");
            var type = Json.RequiredString(block, "type", $"{at}.type");
            switch (type)
            {
                case "text":
                    var text = Json.Get(block, "text");
                    if (text.ValueKind != JsonValueKind.String) throw Json.WrongType($"{at}.text", "a string");
                    count += tokens.CountJsonString(text);
                    break;
                case "tool_use":
                    count += tokens.CountJsonString(Json.Get(block, "name")) + tokens.CountRawJson(Json.Get(block, "input"));
                    break;
                case "tool_result":
                    var result = Json.Get(block, "content");
                    if (Json.Has(result)) count += CountBlocks(result, $"{at}.content", tokens);
                    break;
            }
            i++;
        }
        return count;
    }

    private static string? TextOf(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String) return content.GetString();
        string? text = null;
        foreach (var block in content.EnumerateArray())
        {
            if (Json.Get(block, "text") is { ValueKind: JsonValueKind.String } part) text += part.GetString();
        }
        return text;
    }

    private static JsonElement ChooseTool(JsonElement tools, string? lastUserText)
    {
        var i = 0;
        var chosen = default(JsonElement);
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object) throw Json.WrongType($"tools.{i}", "an object");
            var name = Json.RequiredString(tool, "name", $"tools.{i}.name");
            Json.OptionalObject(tool, "input_schema", $"tools.{i}.input_schema");
            if (chosen.ValueKind == JsonValueKind.Undefined && lastUserText is not null
                && lastUserText.Contains(name, StringComparison.Ordinal))
            {
                chosen = tool;
            }
            i++;
        }
        return chosen;
    }
}
