using System.Globalization;
using System.Text.Json;
using Gateway.Proxy.Pipeline;

namespace Gateway.Proxy.Policies.Admission;

/// <summary>
/// Sets the output limit in a request body: every top-level <c>max_tokens</c>,
/// <c>max_completion_tokens</c> or <c>max_output_tokens</c> gets the new value; a body without
/// one gets <c>max_output_tokens</c> (Responses) or <c>max_tokens</c> (chat, completions,
/// messages: the name every OpenAI-compatible server and Anthropic understand). The rest of the
/// body is copied byte for byte.
/// </summary>
internal static class MaxTokensRewriter
{
    public static byte[] Rewrite(ReadOnlySpan<byte> body, GatewayOperation operation, long value)
    {
        Span<byte> number = stackalloc byte[20];
        value.TryFormat(number, out var numberLength, default, CultureInfo.InvariantCulture);
        number = number[..numberLength];

        Span<(int Start, int Length)> values = stackalloc (int, int)[3];
        var found = 0;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        var open = -1;
        var pending = false;
        while (reader.Read())
        {
            if (reader.CurrentDepth == 0 && reader.TokenType == JsonTokenType.StartObject && open < 0) open = (int)reader.TokenStartIndex;
            if (reader.CurrentDepth != 1) continue;
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                pending = reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8) || reader.ValueTextEquals("max_output_tokens"u8);
                continue;
            }
            if (pending && found < values.Length)
            {
                var start = (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                    values[found++] = (start, (int)reader.BytesConsumed - start);
                }
                else
                {
                    values[found++] = (start, (int)reader.BytesConsumed - start);
                }
            }
            pending = false;
        }

        if (found == 0) return Insert(body, open, operation == GatewayOperation.Responses ? "\"max_output_tokens\":"u8 : "\"max_tokens\":"u8, number);

        var length = body.Length;
        for (var i = 0; i < found; i++) length += number.Length - values[i].Length;
        var output = new byte[length];
        var read = 0;
        var written = 0;
        for (var i = 0; i < found; i++)
        {
            var (start, count) = values[i];
            body[read..start].CopyTo(output.AsSpan(written));
            written += start - read;
            number.CopyTo(output.AsSpan(written));
            written += number.Length;
            read = start + count;
        }
        body[read..].CopyTo(output.AsSpan(written));
        return output;
    }

    private static byte[] Insert(ReadOnlySpan<byte> body, int open, ReadOnlySpan<byte> member, ReadOnlySpan<byte> number)
    {
        var afterOpen = body[(open + 1)..];
        var next = afterOpen.IndexOfAnyExcept(" \t\r\n"u8);
        var empty = next < 0 || afterOpen[next] == (byte)'}';
        var output = new byte[body.Length + member.Length + number.Length + (empty ? 0 : 1)];
        var w = 0;
        body[..(open + 1)].CopyTo(output);
        w += open + 1;
        member.CopyTo(output.AsSpan(w));
        w += member.Length;
        number.CopyTo(output.AsSpan(w));
        w += number.Length;
        if (!empty) output[w++] = (byte)',';
        afterOpen.CopyTo(output.AsSpan(w));
        return output;
    }
}
