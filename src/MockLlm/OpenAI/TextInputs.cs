using System.Text.Json;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;

namespace Gateway.MockLlm.OpenAI;

/// <summary>
/// The <c>prompt</c> of completions and the <c>input</c> of embeddings: a string, an array of
/// strings, an array of token ids, or an array of token-id arrays. Tokens are the tokenizer's count
/// of each string plus the length of each token array.
/// </summary>
internal static class TextInputs
{
    public const int MaxItems = 2048;

    /// <summary>Validates <paramref name="input"/> and returns its total tokens and item count.</summary>
    public static (int Tokens, int Items) Count(JsonElement input, string param, TokenCounter tokens)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                return (tokens.CountJsonString(input), 1);
            case JsonValueKind.Array:
                var length = input.GetArrayLength();
                if (length == 0) throw new MockHttpException(400, $"Invalid '{param}': empty array. Expected an array with minimum length 1.", param, "empty_array");
                if (length > MaxItems) throw new MockHttpException(400, $"Invalid '{param}': array too long. Expected an array with maximum length {MaxItems}.", param, "array_above_max_length");
                var first = input[0].ValueKind;
                if (first == JsonValueKind.Number) return (CountTokenIds(input, param), 1);
                var total = 0;
                var i = 0;
                foreach (var item in input.EnumerateArray())
                {
                    total += item.ValueKind switch
                    {
                        JsonValueKind.String when first == JsonValueKind.String => tokens.CountJsonString(item),
                        JsonValueKind.Array when first == JsonValueKind.Array => CountTokenIds(item, $"{param}[{i}]"),
                        _ => throw Json.WrongType($"{param}[{i}]", "the same kind as the other items (string or array of token ids)"),
                    };
                    i++;
                }
                return (total, length);
            case JsonValueKind.Undefined:
                throw new MockHttpException(400, $"Missing required parameter: '{param}'.", param, "missing_required_parameter");
            default:
                throw Json.WrongType(param, "a string, an array of strings or an array of token ids");
        }
    }

    /// <summary>Item <paramref name="index"/> of a validated input (a whole string or token array is item 0).</summary>
    public static JsonElement Item(JsonElement input, int index) =>
        input.ValueKind == JsonValueKind.String || input[0].ValueKind == JsonValueKind.Number ? input : input[index];

    private static int CountTokenIds(JsonElement array, string param)
    {
        var count = 0;
        foreach (var id in array.EnumerateArray())
        {
            if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt32(out var value) || value < 0)
            {
                throw Json.WrongType($"{param}[{count}]", "a non-negative integer token id");
            }
            count++;
        }
        if (count == 0) throw new MockHttpException(400, $"Invalid '{param}': empty array of token ids.", param, "empty_array");
        return count;
    }
}
