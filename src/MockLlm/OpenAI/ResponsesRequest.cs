using System.Text.Json;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;
using Formula = Gateway.MockLlm.Generation.PromptTokens;

namespace Gateway.MockLlm.OpenAI;

/// <summary>The parts of a <c>POST /v1/responses</c> request MockLlm uses.</summary>
internal readonly record struct ResponsesRequest(
    string Model, string? Instructions, int PromptTokens, ulong Seed, bool Stream, int? MaxOutputTokens)
{
    public static ResponsesRequest Parse(JsonElement root, TokenCounter tokens)
    {
        var model = Json.RequiredString(root, "model", "model");
        var input = Json.Get(root, "input");
        var instructionsElement = Json.Get(root, "instructions");
        var instructions = Json.OptionalString(root, "instructions", "instructions");
        var stream = Json.OptionalBool(root, "stream", "stream");
        var maxOutput = Json.OptionalInt(root, "max_output_tokens", "max_output_tokens", 1);

        var prompt = Formula.ReplyPriming;
        if (instructions is not null)
        {
            prompt += Formula.PerMessage + Formula.RoleTokens + tokens.CountJsonString(instructionsElement);
        }
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                prompt += Formula.PerMessage + Formula.RoleTokens + tokens.CountJsonString(input);
                break;
            case JsonValueKind.Array:
                if (input.GetArrayLength() == 0) throw new MockHttpException(400, "Invalid 'input': empty array. Expected an array with minimum length 1.", "input", "empty_array");
                var i = 0;
                foreach (var item in input.EnumerateArray())
                {
                    prompt += CountItem(item, i++, tokens);
                }
                break;
            case JsonValueKind.Undefined:
                throw new MockHttpException(400, "Missing required parameter: 'input'.", "input", "missing_required_parameter");
            default:
                throw Json.WrongType("input", "a string or an array of input items");
        }

        var seed = new RequestSeed("responses");
        seed.Add(model);
        seed.Add(input);
        seed.Add(instructionsElement);
        return new ResponsesRequest(model, instructions, prompt, seed.Value, stream, maxOutput);
    }

    private static int CountItem(JsonElement item, int index, TokenCounter tokens)
    {
        if (item.ValueKind != JsonValueKind.Object) throw Json.WrongType($"input[{index}]", "an object");
        var count = Formula.PerMessage;
        var role = Json.Get(item, "role");
        if (Json.Has(role))
        {
            if (role.ValueKind != JsonValueKind.String) throw Json.WrongType($"input[{index}].role", "a string");
            count += tokens.CountJsonString(role);
        }
        count += ChatRequest.CountContent(Json.Get(item, "content"), $"input[{index}].content", tokens);
        count += tokens.CountJsonString(Json.Get(item, "output")) + tokens.CountJsonString(Json.Get(item, "arguments"));
        return count;
    }
}
