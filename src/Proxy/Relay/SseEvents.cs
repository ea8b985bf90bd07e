namespace Gateway.Proxy.Relay;

/// <summary>Server-sent event framing: events end at a blank line; fields are <c>event:</c> and <c>data:</c> lines.</summary>
internal static class SseEvents
{
    /// <summary>Finds the end of the first complete event: its length and the terminator's length.</summary>
    public static bool TryFindEvent(ReadOnlySpan<byte> buffer, out int length, out int terminator)
    {
        var lf = buffer.IndexOf("\n\n"u8);
        var crlf = buffer.IndexOf("\r\n\r\n"u8);
        if (lf < 0 && crlf < 0)
        {
            length = terminator = 0;
            return false;
        }
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            length = crlf;
            terminator = 4;
        }
        else
        {
            length = lf;
            terminator = 2;
        }
        return true;
    }

    /// <summary>The event's name and data (the first <c>data:</c> line; multi-line data is joined into <paramref name="scratch"/>).</summary>
    public static void Parse(ReadOnlySpan<byte> evt, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> data, ref byte[]? scratch)
    {
        name = default;
        data = default;
        var dataLines = 0;
        var scratchLength = 0;
        while (!evt.IsEmpty)
        {
            var newline = evt.IndexOf((byte)'\n');
            var line = newline < 0 ? evt : evt[..newline];
            evt = newline < 0 ? default : evt[(newline + 1)..];
            if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
            if (line.StartsWith("data:"u8))
            {
                var value = Field(line[5..]);
                if (dataLines++ == 0)
                {
                    data = value;
                    continue;
                }
                // Rare: several data lines form one payload joined by newlines.
                var needed = (dataLines == 2 ? data.Length : scratchLength) + 1 + value.Length;
                if (scratch is null || scratch.Length < needed) Array.Resize(ref scratch, Math.Max(needed, 1024));
                if (dataLines == 2)
                {
                    data.CopyTo(scratch);
                    scratchLength = data.Length;
                }
                scratch[scratchLength++] = (byte)'\n';
                value.CopyTo(scratch.AsSpan(scratchLength));
                scratchLength += value.Length;
                data = scratch.AsSpan(0, scratchLength);
            }
            else if (line.StartsWith("event:"u8))
            {
                name = Field(line[6..]);
            }
        }
    }

    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> value) =>
        !value.IsEmpty && value[0] == (byte)' ' ? value[1..] : value;

    public static bool IsDone(ReadOnlySpan<byte> data) => data.SequenceEqual("[DONE]"u8);

    /// <summary>Events after which a stream is complete.</summary>
    public static bool IsTerminalEvent(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("message_stop"u8) || name.SequenceEqual("response.completed"u8)
        || name.SequenceEqual("response.failed"u8) || name.SequenceEqual("response.incomplete"u8);
}
