using System.Buffers.Binary;
using System.Text;

namespace Gateway.Bench.Tests;

/// <summary>
/// Writes a classic pcap file the way <c>tcpdump -i lo -w</c> does (Ethernet frames, IPv4, TCP,
/// nanosecond or microsecond timestamps), one segment at a time, for the wire analysis to read.
/// </summary>
internal sealed class CaptureBuilder(bool nanoseconds = true)
{
    private readonly MemoryStream _records = new();

    public TcpFlow Flow(int clientPort, int serverPort) => new(this, clientPort, serverPort);

    public byte[] ToArray()
    {
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, nanoseconds ? 0xa1b23c4du : 0xa1b2c3d4u);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 262144);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1); // Ethernet
        return [.. header, .. _records.ToArray()];
    }

    public string WriteTo(string directory)
    {
        var path = Path.Combine(directory, $"capture-{Guid.NewGuid():N}.pcap");
        File.WriteAllBytes(path, ToArray());
        return path;
    }

    internal void Segment(long timeNs, int sourcePort, int destinationPort, uint sequence, byte flags, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[14 + 20 + 32 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 32 + payload.Length));
        ip[8] = 64;
        ip[9] = 6;
        ip[12] = 127; ip[15] = 1;
        ip[16] = 127; ip[19] = 1;
        var tcp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], (ushort)destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], sequence);
        tcp[12] = 8 << 4; // 32-byte header: 20 + the timestamp option, as Linux sends
        tcp[13] = (byte)(flags | 0x10);
        payload.CopyTo(tcp[32..]);

        var record = new byte[16];
        var seconds = timeNs / 1_000_000_000;
        var fraction = timeNs % 1_000_000_000;
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)(nanoseconds ? fraction : fraction / 1000));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)frame.Length);
        _records.Write(record);
        _records.Write(frame);
    }
}

/// <summary>One TCP connection of a capture: each direction keeps its own sequence numbers.</summary>
internal sealed class TcpFlow(CaptureBuilder capture, int clientPort, int serverPort)
{
    private uint _toServer = 1_000_000, _toClient = 3_000_000_000; // the second wraps around 2^32 during a test

    public TcpFlow ToServer(long timeNs, string text) => Send(timeNs, toServer: true, Encoding.ASCII.GetBytes(text));

    public TcpFlow ToClient(long timeNs, string text) => Send(timeNs, toServer: false, Encoding.ASCII.GetBytes(text));

    /// <summary>Bytes sent but missing from the capture: the sequence moves on, nothing is written.</summary>
    public TcpFlow Lose(bool toServer, int bytes)
    {
        if (toServer) _toServer += (uint)bytes;
        else _toClient += (uint)bytes;
        return this;
    }

    public TcpFlow Fin(long timeNs, bool toServer)
    {
        if (toServer) capture.Segment(timeNs, clientPort, serverPort, _toServer++, 0x01, default);
        else capture.Segment(timeNs, serverPort, clientPort, _toClient++, 0x01, default);
        return this;
    }

    private TcpFlow Send(long timeNs, bool toServer, byte[] payload)
    {
        if (toServer)
        {
            capture.Segment(timeNs, clientPort, serverPort, _toServer, 0x08, payload);
            _toServer += (uint)payload.Length;
        }
        else
        {
            capture.Segment(timeNs, serverPort, clientPort, _toClient, 0x08, payload);
            _toClient += (uint)payload.Length;
        }
        return this;
    }
}

/// <summary>HTTP/1.1 and SSE text as the gateway and MockLlm put it on the wire.</summary>
internal static class Wire
{
    public static string Request(string? requestId, string body = """{"model":"gpt-4o","stream":true}""") =>
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + (requestId is null ? "" : $"x-request-id: {requestId}\r\n")
        + $"Content-Length: {body.Length}\r\n\r\n{body}";

    public static string StreamHead(string? requestId = null) =>
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
        + (requestId is null ? "" : $"x-request-id: {requestId}\r\n") + "\r\n";

    public static string Chunk(string data) => $"{Encoding.ASCII.GetByteCount(data):x}\r\n{data}\r\n";

    public const string LastChunk = "0\r\n\r\n";

    public static string Event(int i) => $"data: {{\"id\":\"chatcmpl-1\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"token{i}\"}}}}]}}\n\n";

    public const string UsageEvent = "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}}\n\n";

    public const string Done = "data: [DONE]\n\n";

    public static long Us(long microseconds) => microseconds * 1000;
}
