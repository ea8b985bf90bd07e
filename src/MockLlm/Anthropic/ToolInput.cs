using System.Buffers;
using System.Text.Json;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;

namespace Gateway.MockLlm.Anthropic;

/// <summary>
/// A deterministic tool call: an input object with one value per property of the tool's
/// <c>input_schema</c> (first enum value; else by type: a vocabulary word, an integer, a number,
/// a boolean, an empty array or object). Its output tokens are tokens(name) + tokens(input JSON).
/// </summary>
internal sealed class ToolInput
{
    private ToolInput(string name, byte[] json, int outputTokens)
    {
        Name = name;
        Json = json;
        OutputTokens = outputTokens;
    }

    public string Name { get; }

    public byte[] Json { get; }

    public int OutputTokens { get; }

    public static ToolInput Create(JsonElement tool, ulong seed, Vocabulary vocabulary, TokenCounter tokens)
    {
        var name = tool.GetProperty("name").GetString()!;
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            json.WriteStartObject();
            var properties = Http.Json.Get(Http.Json.Get(tool, "input_schema"), "properties");
            if (properties.ValueKind == JsonValueKind.Object)
            {
                var i = 0UL;
                foreach (var property in properties.EnumerateObject())
                {
                    var value = RequestSeed.Mix(seed + ++i);
                    json.WritePropertyName(property.Name);
                    WriteValue(json, property.Value, value, vocabulary);
                }
            }
            json.WriteEndObject();
        }
        var bytes = buffer.WrittenSpan.ToArray();
        var count = tokens.Count(name) + tokens.Count(System.Text.Encoding.UTF8.GetString(bytes));
        return new ToolInput(name, bytes, count);
    }

    private static void WriteValue(Utf8JsonWriter json, JsonElement schema, ulong value, Vocabulary vocabulary)
    {
        var enumValues = Http.Json.Get(schema, "enum");
        if (enumValues.ValueKind == JsonValueKind.Array && enumValues.GetArrayLength() > 0)
        {
            enumValues[0].WriteTo(json);
            return;
        }
        var type = schema.ValueKind == JsonValueKind.Object ? Http.Json.Get(schema, "type") : default;
        switch (type.ValueKind == JsonValueKind.String ? type.GetString() : "string")
        {
            case "integer":
                json.WriteNumberValue((long)(value % 100));
                break;
            case "number":
                json.WriteNumberValue((value % 10_000) / 100.0);
                break;
            case "boolean":
                json.WriteBooleanValue((value & 1) == 1);
                break;
            case "array":
                json.WriteStartArray();
                json.WriteEndArray();
                break;
            case "object":
                json.WriteStartObject();
                json.WriteEndObject();
                break;
            default:
                json.WriteStringValue(vocabulary.Word((int)(value % (ulong)vocabulary.Count), first: true));
                break;
        }
    }
}
