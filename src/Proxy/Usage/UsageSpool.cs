using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Gateway.Contracts.Usage;
using Gateway.Proxy.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace Gateway.Proxy.Usage;

/// <summary>
/// The durable first stop of every usage record: a bounded channel in front of an append-only
/// spool of NDJSON segment files under <c>&lt;DataDirectory&gt;/spool</c>. One writer takes
/// whatever is queued (up to <see cref="UsageOptions.GroupCommitMaxBatch"/>) and appends it to the
/// open segment at once (from then on it survives a process kill); a syncer fsyncs the segment
/// after every write, covering whatever was written meanwhile (group commit: what a power cut can
/// lose is at most the writes of one fsync). A segment is sealed when it reaches
/// <see cref="UsageOptions.SegmentMaxBytes"/> or <see cref="UsageOptions.SegmentMaxAgeMs"/>; the
/// <see cref="SpoolShipper"/> ships sealed segments and deletes each only after the shipper's
/// acknowledgement. <see cref="Submit"/> never waits and never drops: when the channel is full
/// the record is appended to the spool directly, off the request's path, and counted; when the
/// request is the only one in flight, the channel empty and the file free (light load), the caller
/// appends its record itself (<see cref="UsageOptions.AppendWhenIdle"/>).
/// </summary>
internal sealed partial class UsageSpool : IAsyncDisposable
{
    private const string Prefix = "segment-";
    private const string Extension = ".ndjson";

    private readonly Channel<UsageRecord> _channel;
    private readonly UsageOptions _options;
    private readonly UsageMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<UsageSpool> _logger;
    private readonly SemaphoreSlim _fileLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly List<UsageRecord> _batch = [];
    private readonly ArrayBufferWriter<byte> _direct = new(1024); // the caller's own append; used under the file lock
    private Utf8JsonWriter? _directWriter;
    private readonly Channel<bool> _syncRequests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private SafeFileHandle? _segment;
    private long _segmentSeq = -1;
    private long _segmentBytes;
    private long _segmentOpenedAt;
    private long _nextSeq;
    private Task _writer = Task.CompletedTask;
    private Task _syncer = Task.CompletedTask;
    private readonly CancellationTokenSource _syncerStopping = new();
    private int _spilling;
    private TaskCompletionSource? _spillsDrained;

    public UsageSpool(IOptions<UsageOptions> options, IOptions<ProxyOptions> proxyOptions, UsageMetrics metrics, TimeProvider time, ILogger<UsageSpool> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _channel = Channel.CreateBounded<UsageRecord>(new BoundedChannelOptions(_options.ChannelCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Directory = Path.GetFullPath(Path.Combine(proxyOptions.Value.DataDirectory, "spool"));
        System.IO.Directory.CreateDirectory(Directory);
        // Sequences continue after any segment left behind, and never restart below the clock
        // (milliseconds), so a segment name — the batch id a shipper sees — is not reused by a later run.
        _nextSeq = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (seq, _) in ListSegments()) _nextSeq = Math.Max(_nextSeq, seq + 1);
        metrics.ObserveDepth(() => _channel.Reader.Count);
    }

    /// <summary>The spool folder.</summary>
    public string Directory { get; }

    /// <summary>Records waiting in the channel.</summary>
    public int Queued => _channel.Reader.Count;

    /// <summary>
    /// Queues a record for the writer; never waits, never drops (a full channel spills to disk
    /// directly). When the caller says it is <paramref name="alone"/> (the only request in flight),
    /// nothing is queued and the file is free, it appends the record itself instead (a wake-up of the
    /// writer costs more than the write when no other request shares it).
    /// </summary>
    public void Submit(UsageRecord record, bool alone = false)
    {
        if (alone && _options.AppendWhenIdle && _channel.Reader.Count == 0 && TryAppendDirect(record)) return;
        if (_channel.Writer.TryWrite(record)) return;
        _metrics.Spilled();
        Interlocked.Increment(ref _spilling);
        _ = SpillAsync(record);
    }

    public void Start()
    {
        // Each on a thread of its own: writes and fsyncs block in the kernel, and must not hold the pool's threads.
        _writer = DedicatedThread.Run("usage-spool-writer", WriteLoopAsync);
        _syncer = DedicatedThread.Run("usage-spool-sync", SyncLoopAsync);
    }

    /// <summary>Graceful stop: drains the channel, waits for spills, fsyncs and seals the open segment.</summary>
    public async Task StopAsync()
    {
        _channel.Writer.TryComplete();
        await _writer;
        _syncerStopping.Cancel();
        _syncRequests.Writer.TryComplete();
        await _syncer;
        if (Volatile.Read(ref _spilling) > 0)
        {
            var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _spillsDrained, drained);
            if (Volatile.Read(ref _spilling) > 0) await drained.Task;
        }
        await _fileLock.WaitAsync();
        try
        {
            Seal();
        }
        finally
        {
            _fileLock.Release();
        }
    }

    /// <summary>Seals the open segment when it is old enough; returns the sequence below which segments are sealed.</summary>
    public async Task<long> SealIfAgedAsync(CancellationToken cancellationToken)
    {
        SafeFileHandle? sealedSegment = null;
        long below;
        await _fileLock.WaitAsync(cancellationToken);
        try
        {
            if (_segment is not null && _time.GetElapsedTime(_segmentOpenedAt).TotalMilliseconds >= _options.SegmentMaxAgeMs) sealedSegment = Detach();
            below = _segment is not null ? _segmentSeq : _nextSeq;
        }
        finally
        {
            _fileLock.Release();
        }
        Close(sealedSegment);
        return below;
    }

    /// <summary>Segment files by sequence, oldest first.</summary>
    public List<(long Seq, string Path)> ListSegments()
    {
        var segments = new List<(long, string)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, Prefix + "*" + Extension))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (long.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)) segments.Add((seq, path));
        }
        segments.Sort(static (a, b) => a.Item1.CompareTo(b.Item1));
        return segments;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync())
        {
            if (_options.GroupCommitDelayMs > 0 && reader.Count < _options.GroupCommitMaxBatch)
                await Task.Delay(TimeSpan.FromMilliseconds(_options.GroupCommitDelayMs), _time);
            _batch.Clear();
            while (_batch.Count < _options.GroupCommitMaxBatch && reader.TryRead(out var record)) _batch.Add(record);
            if (_batch.Count == 0) continue;
            _buffer.ResetWrittenCount();
            Serialize(_batch, _buffer);
            await AppendAsync(_buffer.WrittenMemory, _batch.Count, spilled: false);
            // Before sleeping until the next record wakes it, give the core to any thread ready to run
            // (under load, the requests whose records come next): one sched_yield, no delay when
            // nothing else is ready. Fewer, larger batches; fewer wake-ups on the request path.
            if (reader.Count == 0) Thread.Yield();
        }
    }

    private async Task SpillAsync(UsageRecord record)
    {
        try
        {
            var buffer = new ArrayBufferWriter<byte>(1024);
            Serialize([record], buffer);
            await AppendAsync(buffer.WrittenMemory, 1, spilled: true);
        }
        finally
        {
            if (Interlocked.Decrement(ref _spilling) == 0) Volatile.Read(ref _spillsDrained)?.TrySetResult();
        }
    }

    internal static void Serialize(IReadOnlyList<UsageRecord> records, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, LineOptions);
        for (var i = 0; i < records.Count; i++) WriteLine(writer, output, records[i]);
    }

    private static readonly JsonWriterOptions LineOptions = new() { SkipValidation = true };

    /// <summary>One record as one NDJSON line; <paramref name="writer"/> is reset onto <paramref name="output"/> first.</summary>
    private static void WriteLine(Utf8JsonWriter writer, IBufferWriter<byte> output, UsageRecord record)
    {
        writer.Reset(output);
        JsonSerializer.Serialize(writer, record, UsageJsonContext.Default.UsageRecord);
        writer.Flush();
        output.Write("\n"u8);
    }

    /// <summary>Disposal without a stop (a host disposed directly) still drains the channel into the spool.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _syncerStopping.Cancel();
        _syncRequests.Writer.TryComplete();
        await _syncer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _fileLock.WaitAsync();
        try
        {
            Seal();
        }
        finally
        {
            _fileLock.Release();
        }
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "Writing {Records} usage records to the spool failed (attempt {Attempt}); retrying in a new segment")]
    private partial void LogWriteFailed(Exception exception, int records, int attempt);
}
