using System.Text.Json;

namespace Gateway.MockLlm.Http;

/// <summary>Typed reads of request fields; a wrong type is a 400 naming the field.</summary>
internal static class Json
{
    public static JsonElement Get(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : default;

    public static bool Has(JsonElement value) => value.ValueKind != JsonValueKind.Undefined;

    public static string RequiredString(JsonElement obj, string name, string param)
    {
        var value = Get(obj, name);
        if (!Has(value)) throw new MockHttpException(400, $"Missing required parameter: '{param}'.", param, "missing_required_parameter");
        if (value.ValueKind != JsonValueKind.String) throw WrongType(param, "a string");
        var text = value.GetString()!;
        if (text.Length == 0) throw new MockHttpException(400, $"Invalid '{param}': empty string.", param, "invalid_value");
        return text;
    }

    public static string? OptionalString(JsonElement obj, string name, string param)
    {
        var value = Get(obj, name);
        if (!Has(value)) return null;
        if (value.ValueKind != JsonValueKind.String) throw WrongType(param, "a string");
        return value.GetString();
    }

    public static bool OptionalBool(JsonElement obj, string name, string param)
    {
        var value = Get(obj, name);
        return value.ValueKind switch
        {
            JsonValueKind.Undefined => false,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(param, "a boolean"),
        };
    }

    public static int? OptionalInt(JsonElement obj, string name, string param, int min, int max = int.MaxValue)
    {
        var value = Get(obj, name);
        if (!Has(value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number)) throw WrongType(param, "an integer");
        if (number < min || number > max)
        {
            throw new MockHttpException(400, $"Invalid '{param}': integer below minimum value ({min}) or above maximum ({max}).", param, "invalid_value");
        }
        return number;
    }

    public static JsonElement RequiredArray(JsonElement obj, string name, string param, bool nonEmpty = true)
    {
        var value = Get(obj, name);
        if (!Has(value)) throw new MockHttpException(400, $"Missing required parameter: '{param}'.", param, "missing_required_parameter");
        if (value.ValueKind != JsonValueKind.Array) throw WrongType(param, "an array");
        if (nonEmpty && value.GetArrayLength() == 0)
        {
            throw new MockHttpException(400, $"Invalid '{param}': empty array. Expected an array with minimum length 1.", param, "empty_array");
        }
        return value;
    }

    public static JsonElement OptionalObject(JsonElement obj, string name, string param)
    {
        var value = Get(obj, name);
        if (Has(value) && value.ValueKind != JsonValueKind.Object) throw WrongType(param, "an object");
        return value;
    }

    public static MockHttpException WrongType(string param, string expected) =>
        new(400, $"Invalid type for '{param}': expected {expected}.", param, "invalid_type");
}
