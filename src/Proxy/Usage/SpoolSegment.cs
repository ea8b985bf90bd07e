using System.Buffers;
using System.Text.Json;
using Gateway.Contracts.Usage;

namespace Gateway.Proxy.Usage;

/// <summary>
/// One spool segment read back: its records, one per line, and the lines themselves. A line that
/// does not parse (the torn tail of a crash, or bytes a disk garbled) is counted and set apart, so
/// that the shipper can keep it for reconciliation instead of losing it. The bytes are read into a
/// buffer from the shared pool, returned on <see cref="Dispose"/>: a segment is up to 4 MiB, and a
/// new array for each (a large-object-heap allocation several times a second under load) made the
/// GC run full collections for it.
/// </summary>
internal sealed class SpoolSegment : IDisposable
{
    private byte[]? _bytes;
    private readonly int _length;
    private readonly bool _clean;

    private readonly List<Range> _unreadable;

    private SpoolSegment(byte[] bytes, int length, List<UsageRecord> records, List<Range> unreadable, bool clean)
    {
        _bytes = bytes;
        _length = length;
        Records = records;
        _unreadable = unreadable;
        _clean = clean;
    }

    public List<UsageRecord> Records { get; }

    /// <summary>Lines that did not parse as a record.</summary>
    public int BadLines => _unreadable.Count;

    /// <summary>
    /// The lines that did not parse as a record, as they are in the file, each followed by a
    /// newline (a torn last line gets one). Valid until disposed.
    /// </summary>
    public byte[] UnreadableLines()
    {
        ObjectDisposedException.ThrowIf(_bytes is null, this);
        var output = new byte[_unreadable.Sum(r => r.GetOffsetAndLength(_length).Length + 1)];
        var at = 0;
        foreach (var range in _unreadable)
        {
            var line = _bytes.AsSpan(range);
            line.CopyTo(output.AsSpan(at));
            at += line.Length;
            output[at++] = (byte)'\n';
        }
        return output;
    }

    /// <summary>
    /// The segment's bytes when they are exactly <see cref="Records"/> as NDJSON (every line a
    /// record, each ending in a newline, nothing else); empty otherwise. Valid until disposed.
    /// </summary>
    public ReadOnlyMemory<byte> Lines => _clean && _bytes is not null ? _bytes.AsMemory(0, _length) : default;

    /// <summary>Reads the segment at <paramref name="path"/>, its lines through <paramref name="lines"/>.</summary>
    public static SpoolSegment Read(string path, UsageLineReader lines)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var size = RandomAccess.GetLength(file);
        if (size > Array.MaxLength) throw new IOException($"Spool segment {Path.GetFileName(path)} is {size} bytes, more than can be read at once.");
        var bytes = ArrayPool<byte>.Shared.Rent((int)Math.Max(size, 1));
        try
        {
            var length = 0;
            while (length < size)
            {
                var read = RandomAccess.Read(file, bytes.AsSpan(length, (int)size - length), length);
                if (read == 0) break;
                length += read;
            }
            return Parse(bytes, length, lines);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(bytes);
            throw;
        }
    }

    private static SpoolSegment Parse(byte[] bytes, int length, UsageLineReader lines)
    {
        ReadOnlySpan<byte> all = bytes.AsSpan(0, length);
        var records = new List<UsageRecord>(all.Count((byte)'\n') + 1);
        var unreadable = new List<Range>();
        var clean = length > 0 && all[^1] == (byte)'\n';
        var start = 0;
        while (start < length)
        {
            var end = all[start..].IndexOf((byte)'\n');
            end = end < 0 ? length : start + end;
            var line = all[start..end];
            var range = new Range(start, end);
            start = end + 1;
            if (line.IsEmpty || line.IndexOfAnyExcept(" \t\r"u8) < 0)
            {
                clean = false;
                continue;
            }
            try
            {
                if (lines.Read(line) is { } record) records.Add(record);
                else unreadable.Add(range);
            }
            catch (JsonException)
            {
                unreadable.Add(range);
            }
        }
        return new SpoolSegment(bytes, length, records, unreadable, clean && unreadable.Count == 0);
    }

    public void Dispose()
    {
        if (_bytes is { } bytes)
        {
            _bytes = null;
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
