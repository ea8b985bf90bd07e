using System.Runtime.InteropServices;
using System.Text.Json;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.Admission;

namespace Gateway.Proxy.Tests.Admission;

/// <summary>
/// The prompt estimate as it was written before the one-pass reader: over a <see cref="JsonDocument"/>.
/// Kept as the reference the one-pass <see cref="PromptTokenEstimator"/> must agree with (PromptTokenEstimatorEquivalenceTests).
/// </summary>
internal static class DocumentPromptTokenEstimator
{
    private const int PerMessage = 3;
    private const int ReplyPriming = 3;
    private const int PerName = 1;

    public static long Count(GatewayOperation operation, ReadOnlyMemory<byte> body, BpeCounter tokenizer)
    {
        if (operation is GatewayOperation.Inference or GatewayOperation.Realtime or GatewayOperation.Models || body.IsEmpty) return 0;
        if (body.Span.StartsWith("\xEF\xBB\xBF"u8)) body = body[3..];
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return 0;
            return operation switch
            {
                GatewayOperation.Completions => CountInputs(root, "prompt"u8, tokenizer),
                GatewayOperation.Embeddings => CountInputs(root, "input"u8, tokenizer),
                GatewayOperation.Responses => CountResponses(root, tokenizer),
                _ => CountChat(root, tokenizer),
            };
        }
        catch (JsonException)
        {
            return 0; // the body was validated before; a body the estimate cannot read reserves no prompt tokens
        }
    }

    private static long CountChat(JsonElement root, BpeCounter tokenizer)
    {
        long total = ReplyPriming;
        if (root.TryGetProperty("system"u8, out var system) && system.ValueKind != JsonValueKind.Null)
            total += PerMessage + tokenizer.Count("system") + CountContent(system, tokenizer);
        if (root.TryGetProperty("messages"u8, out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray()) total += CountMessage(message, tokenizer);
        }
        total += CountRaw(root, "tools"u8, tokenizer);
        return total;
    }

    private static long CountResponses(JsonElement root, BpeCounter tokenizer)
    {
        long total = ReplyPriming;
        if (root.TryGetProperty("instructions"u8, out var instructions) && instructions.ValueKind == JsonValueKind.String)
            total += PerMessage + tokenizer.Count("system") + String(instructions, tokenizer);
        if (root.TryGetProperty("input"u8, out var input))
        {
            if (input.ValueKind == JsonValueKind.String)
            {
                total += PerMessage + tokenizer.Count("user") + String(input, tokenizer);
            }
            else if (input.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in input.EnumerateArray()) total += CountMessage(item, tokenizer);
            }
        }
        total += CountRaw(root, "tools"u8, tokenizer);
        return total;
    }

    private static long CountMessage(JsonElement message, BpeCounter tokenizer)
    {
        if (message.ValueKind != JsonValueKind.Object) return 0;
        long total = PerMessage;
        if (message.TryGetProperty("role"u8, out var role) && role.ValueKind == JsonValueKind.String) total += String(role, tokenizer);
        if (message.TryGetProperty("content"u8, out var content)) total += CountContent(content, tokenizer);
        if (message.TryGetProperty("name"u8, out var name) && name.ValueKind == JsonValueKind.String) total += String(name, tokenizer) + PerName;
        if (message.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                if (call.ValueKind == JsonValueKind.Object && call.TryGetProperty("function"u8, out var function) && function.ValueKind == JsonValueKind.Object)
                {
                    if (function.TryGetProperty("name"u8, out var fn) && fn.ValueKind == JsonValueKind.String) total += String(fn, tokenizer);
                    if (function.TryGetProperty("arguments"u8, out var args) && args.ValueKind == JsonValueKind.String) total += String(args, tokenizer);
                }
            }
        }
        return total;
    }

    /// <summary>A content value: a string, or parts with <c>text</c> (tool use: name + input JSON; tool result: its content).</summary>
    private static long CountContent(JsonElement content, BpeCounter tokenizer)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return String(content, tokenizer);
            case JsonValueKind.Array:
                long total = 0;
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.String)
                    {
                        total += String(part, tokenizer);
                        continue;
                    }
                    if (part.ValueKind != JsonValueKind.Object) continue;
                    if (part.TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String) total += String(text, tokenizer);
                    if (part.TryGetProperty("type"u8, out var type) && type.ValueEquals("tool_use"u8))
                    {
                        if (part.TryGetProperty("name"u8, out var name) && name.ValueKind == JsonValueKind.String) total += String(name, tokenizer);
                        if (part.TryGetProperty("input"u8, out var input)) total += Raw(input, tokenizer);
                    }
                    else if (part.TryGetProperty("content"u8, out var nested))
                    {
                        total += CountContent(nested, tokenizer);
                    }
                }
                return total;
            default:
                return 0;
        }
    }

    /// <summary>Completions' <c>prompt</c>, embeddings' <c>input</c>: a string, strings, token ids, or arrays of token ids.</summary>
    private static long CountInputs(JsonElement root, ReadOnlySpan<byte> property, BpeCounter tokenizer)
    {
        if (!root.TryGetProperty(property, out var input)) return 0;
        if (input.ValueKind == JsonValueKind.String) return String(input, tokenizer);
        if (input.ValueKind != JsonValueKind.Array) return 0;
        long total = 0;
        foreach (var item in input.EnumerateArray())
        {
            total += item.ValueKind switch
            {
                JsonValueKind.String => String(item, tokenizer),
                JsonValueKind.Number => 1,
                JsonValueKind.Array => item.GetArrayLength(),
                _ => 0,
            };
        }
        return total;
    }

    private static long CountRaw(JsonElement root, ReadOnlySpan<byte> property, BpeCounter tokenizer) =>
        root.TryGetProperty(property, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? Raw(value, tokenizer) : 0;

    private static int Raw(JsonElement value, BpeCounter tokenizer) => tokenizer.CountUtf8(JsonMarshal.GetRawUtf8Value(value));

    /// <summary>A JSON string's tokens; unescaped without allocating unless it has escapes.</summary>
    private static int String(JsonElement value, BpeCounter tokenizer)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.Length >= 2 && raw[1..^1].IndexOf((byte)'\\') < 0) return tokenizer.CountUtf8(raw[1..^1]);
        return tokenizer.Count(value.GetString());
    }
}
