using System.Buffers;
using System.Text.Json;
using Gateway.Contracts.Usage;

namespace Gateway.Proxy.Usage;

/// <summary>
/// One spool segment read back: its records, one per line, and the lines themselves. A line that
/// does not parse (the torn tail of a crash) is counted and skipped. The bytes are read into a
/// buffer from the shared pool, returned on <see cref="Dispose"/>: a segment is up to 4 MiB, and a
/// new array for each (a large-object-heap allocation several times a second under load) made the
/// GC run full collections for it.
/// </summary>
internal sealed class SpoolSegment : IDisposable
{
    private byte[]? _bytes;
    private readonly int _length;
    private readonly bool _clean;

    private SpoolSegment(byte[] bytes, int length, List<UsageRecord> records, int badLines, bool clean)
    {
        _bytes = bytes;
        _length = length;
        Records = records;
        BadLines = badLines;
        _clean = clean;
    }

    public List<UsageRecord> Records { get; }

    /// <summary>Lines that did not parse as a record.</summary>
    public int BadLines { get; }

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
        ReadOnlySpan<byte> rest = bytes.AsSpan(0, length);
        var records = new List<UsageRecord>(rest.Count((byte)'\n') + 1);
        var badLines = 0;
        var clean = length > 0 && rest[^1] == (byte)'\n';
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (line.IsEmpty || line.IndexOfAnyExcept(" \t\r"u8) < 0)
            {
                clean = false;
                continue;
            }
            try
            {
                if (lines.Read(line) is { } record) records.Add(record);
                else badLines++;
            }
            catch (JsonException)
            {
                badLines++;
            }
        }
        return new SpoolSegment(bytes, length, records, badLines, clean && badLines == 0);
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
