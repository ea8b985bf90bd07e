using System.Buffers.Binary;

namespace Gateway.Bench.LoadGen.Wire;

/// <summary>One TCP segment of a capture: when the kernel saw it, its endpoints, sequence number, flags and payload.</summary>
internal readonly ref struct TcpSegment(long timeNs, UInt128 source, int sourcePort, UInt128 destination, int destinationPort, uint sequence, byte flags, ReadOnlySpan<byte> payload)
{
    public const byte Fin = 0x01;
    public const byte Syn = 0x02;
    public const byte Rst = 0x04;

    public long TimeNs { get; } = timeNs;
    public UInt128 Source { get; } = source;
    public int SourcePort { get; } = sourcePort;
    public UInt128 Destination { get; } = destination;
    public int DestinationPort { get; } = destinationPort;
    public uint Sequence { get; } = sequence;
    public byte Flags { get; } = flags;
    public ReadOnlySpan<byte> Payload { get; } = payload;
}

internal delegate void TcpSegmentHandler(in TcpSegment segment);

/// <summary>
/// Reads a classic pcap file (what <c>tcpdump -w</c> writes: microsecond or nanosecond
/// timestamps, either byte order) and hands every IPv4 or IPv6 TCP segment to a handler, in file
/// order. Link types: Ethernet (what <c>-i lo</c> gives), Linux cooked v1 and v2, BSD loopback, raw IP.
/// </summary>
internal static class PcapReader
{
    private const int LinkNull = 0, LinkEthernet = 1, LinkRaw = 101, LinkLinuxSll = 113, LinkLinuxSll2 = 276;

    /// <summary>Reads every record; returns how many were TCP segments (others are skipped).</summary>
    public static long Read(Stream input, TcpSegmentHandler handler)
    {
        Span<byte> header = stackalloc byte[24];
        input.ReadExactly(header);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var (bigEndian, nano) = magic switch
        {
            0xa1b2c3d4 => (false, false),
            0xa1b23c4d => (false, true),
            0xd4c3b2a1 => (true, false),
            0x4d3cb2a1 => (true, true),
            _ => throw new InvalidDataException($"not a pcap file (magic 0x{magic:x8}); pcapng is not read: capture with tcpdump -w"),
        };
        var linkType = (int)(U32(header[20..], bigEndian) & 0x0fffffff);
        if (linkType is not (LinkNull or LinkEthernet or LinkRaw or LinkLinuxSll or LinkLinuxSll2))
            throw new InvalidDataException($"link type {linkType} is not read (Ethernet, Linux cooked, loopback or raw IP)");

        Span<byte> record = stackalloc byte[16];
        var buffer = new byte[256 * 1024];
        long segments = 0;
        while (true)
        {
            var got = input.ReadAtLeast(record, record.Length, throwOnEndOfStream: false);
            if (got < record.Length) break; // the end (or a record cut short by a stopped capture)
            var seconds = U32(record, bigEndian);
            var fraction = U32(record[4..], bigEndian);
            var included = (int)U32(record[8..], bigEndian);
            if (included < 0 || included > 64 * 1024 * 1024) throw new InvalidDataException($"record of {included} bytes");
            if (included > buffer.Length) buffer = new byte[included];
            if (input.ReadAtLeast(buffer.AsSpan(0, included), included, throwOnEndOfStream: false) < included) break;
            var timeNs = seconds * 1_000_000_000L + (nano ? fraction : fraction * 1000L);
            if (TryTcp(buffer.AsSpan(0, included), linkType, timeNs, handler)) segments++;
        }
        return segments;
    }

    private static bool TryTcp(ReadOnlySpan<byte> frame, int linkType, long timeNs, TcpSegmentHandler handler)
    {
        int etherType;
        switch (linkType)
        {
            case LinkEthernet:
                if (frame.Length < 14) return false;
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
                frame = frame[14..];
                if (etherType == 0x8100 && frame.Length >= 4) { etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[2..]); frame = frame[4..]; }
                break;
            case LinkLinuxSll:
                if (frame.Length < 16) return false;
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[14..]);
                frame = frame[16..];
                break;
            case LinkLinuxSll2:
                if (frame.Length < 20) return false;
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame);
                frame = frame[20..];
                break;
            case LinkNull:
                if (frame.Length < 4) return false;
                frame = frame[4..];
                etherType = frame.Length > 0 && frame[0] >> 4 == 6 ? 0x86dd : 0x0800;
                break;
            default: // raw IP
                etherType = frame.Length > 0 && frame[0] >> 4 == 6 ? 0x86dd : 0x0800;
                break;
        }

        UInt128 source, destination;
        ReadOnlySpan<byte> tcp;
        if (etherType == 0x0800)
        {
            if (frame.Length < 20 || frame[0] >> 4 != 4 || frame[9] != 6) return false;
            var ihl = (frame[0] & 0x0f) * 4;
            var total = BinaryPrimitives.ReadUInt16BigEndian(frame[2..]);
            if (total < ihl || total > frame.Length) total = (ushort)frame.Length; // truncated by the snap length
            source = BinaryPrimitives.ReadUInt32BigEndian(frame[12..]);
            destination = BinaryPrimitives.ReadUInt32BigEndian(frame[16..]);
            tcp = frame[ihl..total];
        }
        else if (etherType == 0x86dd)
        {
            if (frame.Length < 40 || frame[6] != 6) return false; // no extension headers on loopback traffic
            var payloadLength = BinaryPrimitives.ReadUInt16BigEndian(frame[4..]);
            source = BinaryPrimitives.ReadUInt128BigEndian(frame[8..]);
            destination = BinaryPrimitives.ReadUInt128BigEndian(frame[24..]);
            tcp = frame.Slice(40, Math.Min(payloadLength, frame.Length - 40));
        }
        else
        {
            return false;
        }
        if (tcp.Length < 20) return false;
        var dataOffset = (tcp[12] >> 4) * 4;
        if (dataOffset < 20 || dataOffset > tcp.Length) return false;
        handler(new TcpSegment(timeNs, source, BinaryPrimitives.ReadUInt16BigEndian(tcp), destination, BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]), tcp[13], tcp[dataOffset..]));
        return true;
    }

    private static uint U32(ReadOnlySpan<byte> b, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);
}
