using System.Text.Json;
using Gateway.Proxy.Pipeline;

namespace Gateway.Proxy.Policies.Admission;

/// <summary>
/// Counts the prompt of a request body with the model's tokenizer, the way OpenAI documents it
/// for chat models: <c>3 + Σ over messages (3 + tokens(role) + tokens(content) [+ tokens(name) + 1])
/// + tokens(tools JSON)</c>. A system prompt outside the messages (Anthropic <c>system</c>,
/// Responses <c>instructions</c>) counts as a system message; content parts count their text
/// (Anthropic <c>tool_use</c>: name and input JSON; <c>tool_result</c>: its content), images 0;
/// assistant <c>tool_calls</c> count their function names and arguments. Completions and
/// embeddings count each string's tokens, and token-id arrays by their length. v2 inference and
/// realtime sessions have no countable prompt (0). Read in one pass over the body (no document is
/// built): where a property appears twice, the last one counts, as <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/>
/// has it; a body that is not valid JSON counts 0.
/// </summary>
internal static class PromptTokenEstimator
{
    private const int PerMessage = 3;
    private const int ReplyPriming = 3;
    private const int PerName = 1;

    // Every helper below starts on a value's first token and leaves the reader on its last one (the
    // value itself, or the end of the object or array), whatever the value turns out to be.

    public static long Count(GatewayOperation operation, ReadOnlyMemory<byte> body, BpeCounter tokenizer)
    {
        if (operation is GatewayOperation.Inference or GatewayOperation.Realtime or GatewayOperation.Models || body.IsEmpty) return 0;
        var json = body.Span;
        if (json.StartsWith("\xEF\xBB\xBF"u8)) json = json[3..];
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return 0;
            var total = operation switch
            {
                GatewayOperation.Completions => CountInputs(ref reader, "prompt"u8, tokenizer),
                GatewayOperation.Embeddings => CountInputs(ref reader, "input"u8, tokenizer),
                GatewayOperation.Responses => CountResponses(ref reader, json, tokenizer),
                _ => CountChat(ref reader, json, tokenizer),
            };
            // Only white space may follow the object; anything else makes the reader throw.
            return reader.Read() ? 0 : total;
        }
        catch (JsonException)
        {
            return 0; // the body was validated before; a body the estimate cannot read reserves no prompt tokens
        }
    }

    private static long CountChat(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, BpeCounter tokenizer)
    {
        long system = 0, messages = 0, tools = 0;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("system"u8))
            {
                reader.Read();
                system = reader.TokenType == JsonTokenType.Null ? 0 : PerMessage + tokenizer.Count("system") + CountContent(ref reader, json, tokenizer);
            }
            else if (reader.ValueTextEquals("messages"u8))
            {
                reader.Read();
                messages = CountMessages(ref reader, json, tokenizer);
            }
            else if (reader.ValueTextEquals("tools"u8))
            {
                reader.Read();
                tools = CountRaw(ref reader, json, tokenizer);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return ReplyPriming + system + messages + tools;
    }

    private static long CountResponses(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, BpeCounter tokenizer)
    {
        long instructions = 0, input = 0, tools = 0;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("instructions"u8))
            {
                reader.Read();
                instructions = reader.TokenType == JsonTokenType.String ? PerMessage + tokenizer.Count("system") + String(ref reader, tokenizer) : Skip(ref reader);
            }
            else if (reader.ValueTextEquals("input"u8))
            {
                reader.Read();
                input = reader.TokenType == JsonTokenType.String ? PerMessage + tokenizer.Count("user") + String(ref reader, tokenizer) : CountMessages(ref reader, json, tokenizer);
            }
            else if (reader.ValueTextEquals("tools"u8))
            {
                reader.Read();
                tools = CountRaw(ref reader, json, tokenizer);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return ReplyPriming + instructions + input + tools;
    }

    /// <summary>An array of messages (anything else counts 0).</summary>
    private static long CountMessages(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, BpeCounter tokenizer)
    {
        if (reader.TokenType != JsonTokenType.StartArray) return Skip(ref reader);
        long total = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) total += CountMessage(ref reader, json, tokenizer);
        return total;
    }

    private static long CountMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, BpeCounter tokenizer)
    {
        if (reader.TokenType != JsonTokenType.StartObject) return Skip(ref reader);
        long role = 0, content = 0, name = 0, calls = 0;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                role = StringOrNothing(ref reader, tokenizer);
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                content = CountContent(ref reader, json, tokenizer);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.TokenType == JsonTokenType.String ? String(ref reader, tokenizer) + PerName : Skip(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                calls = CountToolCalls(ref reader, tokenizer);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return PerMessage + role + content + name + calls;
    }

    /// <summary>An assistant's <c>tool_calls</c>: each function's name and arguments.</summary>
    private static long CountToolCalls(ref Utf8JsonReader reader, BpeCounter tokenizer)
    {
        if (reader.TokenType != JsonTokenType.StartArray) return Skip(ref reader);
        long total = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            long function = 0;
            while (NextProperty(ref reader))
            {
                if (!reader.ValueTextEquals("function"u8))
                {
                    SkipValue(ref reader);
                    continue;
                }
                reader.Read();
                function = CountFunction(ref reader, tokenizer);
            }
            total += function;
        }
        return total;
    }

    /// <summary>A tool call's <c>function</c>: its name and arguments (anything but an object counts 0).</summary>
    private static long CountFunction(ref Utf8JsonReader reader, BpeCounter tokenizer)
    {
        if (reader.TokenType != JsonTokenType.StartObject) return Skip(ref reader);
        long name = 0, arguments = 0;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = StringOrNothing(ref reader, tokenizer);
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                arguments = StringOrNothing(ref reader, tokenizer);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return name + arguments;
    }

    /// <summary>A content value: a string, or parts with <c>text</c> (tool use: name + input JSON; tool result: its content).</summary>
    private static long CountContent(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, BpeCounter tokenizer)
    {
        if (reader.TokenType == JsonTokenType.String) return String(ref reader, tokenizer);
        if (reader.TokenType != JsonTokenType.StartArray) return Skip(ref reader);
        long total = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String) total += String(ref reader, tokenizer);
            else if (reader.TokenType == JsonTokenType.StartObject) total += CountPart(ref reader, json, tokenizer);
            else reader.Skip();
        }
        return total;
    }

    private static long CountPart(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, BpeCounter tokenizer)
    {
        long text = 0, name = 0, input = 0, nested = 0;
        var toolUse = false;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                text = StringOrNothing(ref reader, tokenizer);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                toolUse = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("tool_use"u8);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = StringOrNothing(ref reader, tokenizer);
            }
            else if (reader.ValueTextEquals("input"u8))
            {
                reader.Read();
                input = CountRaw(ref reader, json, tokenizer, countNull: true);
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                nested = CountContent(ref reader, json, tokenizer);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return text + (toolUse ? name + input : nested);
    }

    /// <summary>Completions' <c>prompt</c>, embeddings' <c>input</c>: a string, strings, token ids, or arrays of token ids.</summary>
    private static long CountInputs(ref Utf8JsonReader reader, ReadOnlySpan<byte> property, BpeCounter tokenizer)
    {
        long total = 0;
        while (NextProperty(ref reader))
        {
            if (!reader.ValueTextEquals(property))
            {
                SkipValue(ref reader);
                continue;
            }
            reader.Read();
            total = 0;
            if (reader.TokenType == JsonTokenType.String)
            {
                total = String(ref reader, tokenizer);
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        total += String(ref reader, tokenizer);
                        break;
                    case JsonTokenType.Number:
                        total += 1;
                        break;
                    case JsonTokenType.StartArray:
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            total++;
                            reader.Skip();
                        }
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        return total;
    }

    /// <summary>Moves to the next property name of the object the reader is in; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    /// <summary>On a property name: skips its value.</summary>
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    /// <summary>Skips the value; it counts nothing.</summary>
    private static long Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return 0;
    }

    /// <summary>The value's JSON text as sent, tokenized (null counts 0 unless <paramref name="countNull"/>).</summary>
    private static long CountRaw(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, BpeCounter tokenizer, bool countNull = false)
    {
        if (reader.TokenType == JsonTokenType.Null && !countNull) return 0;
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return tokenizer.CountUtf8(json[start..(int)reader.BytesConsumed]);
    }

    private static long StringOrNothing(ref Utf8JsonReader reader, BpeCounter tokenizer) =>
        reader.TokenType == JsonTokenType.String ? String(ref reader, tokenizer) : Skip(ref reader);

    /// <summary>A JSON string's tokens; unescaped without allocating unless it has escapes.</summary>
    private static int String(ref Utf8JsonReader reader, BpeCounter tokenizer) =>
        reader.ValueIsEscaped ? tokenizer.Count(reader.GetString()) : tokenizer.CountUtf8(reader.ValueSpan);
}
