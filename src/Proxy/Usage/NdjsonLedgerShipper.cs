using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Gateway.Contracts.Usage;
using Gateway.Proxy.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Usage;

/// <summary>
/// The standalone ledger: appends each batch to <c>&lt;DataDirectory&gt;/ledger/usage-YYYY-MM-DD.ndjson</c>
/// (the UTC day it was shipped), one record per line, and fsyncs before acknowledging. Usable
/// on its own or as a local copy beside another shipper. Exactly once across crashes: on its
/// first shipment it cuts a torn last line (a write the crash interrupted, never acknowledged)
/// and reads the records at the end of the newest files, which covers the one batch a crash
/// can leave shipped but not yet deleted from the spool; records already there are skipped. A
/// record is the same only with the same request id, node, key and arrival time: a caller may
/// send the same <c>x-request-id</c> twice, and both requests are kept.
/// </summary>
internal sealed partial class NdjsonLedgerShipper(IOptions<ProxyOptions> proxyOptions, IOptions<UsageOptions> options, TimeProvider time, ILogger<NdjsonLedgerShipper> logger)
    : IUsageShipper, IDisposable
{
    private const string Prefix = "usage-";
    private readonly SemaphoreSlim _lock = new(1, 1);
    private ArrayBufferWriter<byte>? _buffer; // only for batches that come without their lines
    private HashSet<UsageRecordIdentity>? _recent;
    private bool _recovered;
    private FileStream? _file;
    private string? _fileDay;

    /// <summary>The ledger folder.</summary>
    public string Directory { get; } = Path.GetFullPath(Path.Combine(proxyOptions.Value.DataDirectory, "ledger"));

    public async ValueTask ShipAsync(SpoolBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (!_recovered) Recover();
            var records = Filter(batch.Records);
            var file = FileFor(time.GetUtcNow());
            if (ReferenceEquals(records, batch.Records) && !batch.Ndjson.IsEmpty)
            {
                file.Write(batch.Ndjson.Span); // the spool's lines are the ledger's: no need to serialize them again
            }
            else
            {
                var buffer = _buffer ??= new ArrayBufferWriter<byte>(64 * 1024);
                buffer.ResetWrittenCount();
                UsageSpool.Serialize(records, buffer);
                file.Write(buffer.WrittenSpan);
            }
            file.Flush(flushToDisk: true);
            _recent = null; // only the first batch after a start can repeat one already written
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            CloseFile();
            throw;
        }
        finally
        {
            _lock.Release();
        }
    }

    private IReadOnlyList<UsageRecord> Filter(IReadOnlyList<UsageRecord> records)
    {
        if (_recent is null || _recent.Count == 0) return records;
        var fresh = new List<UsageRecord>(records.Count);
        foreach (var record in records)
        {
            if (!_recent.Contains(UsageRecordIdentity.Of(record))) fresh.Add(record);
        }
        if (fresh.Count < records.Count) LogSkipped(records.Count - fresh.Count);
        return fresh;
    }

    private FileStream FileFor(DateTimeOffset now)
    {
        var day = now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (_file is not null && _fileDay == day) return _file;
        CloseFile();
        System.IO.Directory.CreateDirectory(Directory);
        _file = new FileStream(Path.Combine(Directory, Prefix + day + ".ndjson"), FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _fileDay = day;
        return _file;
    }

    private void CloseFile()
    {
        _file?.Dispose();
        _file = null;
        _fileDay = null;
    }

    /// <summary>Cuts torn last lines and remembers the records at the end of the two newest files.</summary>
    private void Recover()
    {
        _recovered = true;
        if (!System.IO.Directory.Exists(Directory)) return;
        var files = System.IO.Directory.GetFiles(Directory, Prefix + "*.ndjson");
        Array.Sort(files, StringComparer.Ordinal);
        var budget = (2 * options.Value.SegmentMaxBytes) + (1 << 20);
        var recent = new HashSet<UsageRecordIdentity>();
        for (var i = files.Length - 1; i >= 0 && i >= files.Length - 2 && budget > 0; i--)
        {
            using var stream = new FileStream(files[i], FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            CutTornLine(stream);
            var start = Math.Max(0, stream.Length - budget);
            budget -= stream.Length - start;
            var tail = new byte[stream.Length - start];
            stream.Position = start;
            stream.ReadExactly(tail);
            ReadIds(tail, skipFirstLine: start > 0, recent);
        }
        _recent = recent;
    }

    private void CutTornLine(FileStream stream)
    {
        if (stream.Length == 0) return;
        var probe = (int)Math.Min(stream.Length, 1 << 20);
        var buffer = new byte[probe];
        stream.Position = stream.Length - probe;
        stream.ReadExactly(buffer);
        if (buffer[^1] == (byte)'\n') return;
        var last = Array.LastIndexOf(buffer, (byte)'\n');
        var keep = last < 0 ? stream.Length - probe : stream.Length - probe + last + 1;
        LogTornLine(Path.GetFileName(stream.Name), stream.Length - keep);
        stream.SetLength(keep);
        stream.Flush(flushToDisk: true);
    }

    private static void ReadIds(ReadOnlySpan<byte> data, bool skipFirstLine, HashSet<UsageRecordIdentity> ids)
    {
        var lines = new UsageLineReader();
        if (skipFirstLine)
        {
            var first = data.IndexOf((byte)'\n');
            data = first < 0 ? [] : data[(first + 1)..];
        }
        while (!data.IsEmpty)
        {
            var end = data.IndexOf((byte)'\n');
            var line = end < 0 ? data : data[..end];
            data = end < 0 ? [] : data[(end + 1)..];
            if (line.IsEmpty) continue;
            try
            {
                if (lines.Read(line) is { } record) ids.Add(UsageRecordIdentity.Of(record));
            }
            catch (JsonException)
            {
                // not a record line; nothing to remember
            }
        }
    }

    public void Dispose()
    {
        CloseFile();
        _lock.Dispose();
    }

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "Ledger: {Count} records already written before a restart were not written again")]
    private partial void LogSkipped(int count);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Warning, Message = "Ledger file {File}: cut {Bytes} bytes of a line a crash left unfinished (it is shipped again from the spool)")]
    private partial void LogTornLine(string file, long bytes);
}
