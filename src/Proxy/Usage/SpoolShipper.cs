using Gateway.Contracts.Usage;
using Gateway.Proxy.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Usage;

/// <summary>
/// Ships sealed spool segments, oldest first, through the configured <see cref="IUsageShipper"/>,
/// and deletes a segment only once the shipper acknowledged it. A failure keeps the segment and
/// retries with back-off; segments left by an earlier run (a crash, a stop while the ledger was
/// unreachable) are simply the oldest and go first. Lines of a segment that do not read as a
/// record are not shipped and not lost: before the segment is deleted they are kept, byte for
/// byte, in <c>unreadable/</c> beside the segments, for an operator to reconcile (a torn line
/// usually still starts with its request id).
/// </summary>
internal sealed partial class SpoolShipper(
    UsageSpool spool,
    IUsageShipper shipper,
    IEnumerable<IUsageAcknowledgementObserver> observers,
    UsageMetrics metrics,
    IOptions<UsageOptions> options,
    IOptions<Hosting.ProxyOptions> proxyOptions,
    TimeProvider time,
    ILogger<SpoolShipper> logger) : IAsyncDisposable
{
    private readonly IUsageAcknowledgementObserver[] _observers = [.. observers];
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly HashSet<string> _reportedBad = new(StringComparer.Ordinal);
    private readonly UsageLineReader _lines = new(); // used inside a pass only
    private Task _loop = Task.CompletedTask;
    private int _failures;

    /// <summary>Starts the loop on a thread of its own (reading segments and the file ledger's appends and fsyncs block).</summary>
    public void Start() => _loop = DedicatedThread.Run("usage-shipper", () => LoopAsync(_stopping.Token));

    /// <summary>Stops the loop, then ships whatever is sealed (the spool was stopped first, so that is everything).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            await ShipAvailableAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogStopIncomplete();
        }
    }

    /// <summary>Disposal without a stop ends the loop (the spool keeps what is not shipped).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    /// <summary>One pass: seal an aged segment, ship every sealed one in order; false when a shipment failed.</summary>
    public async Task<bool> ShipAvailableAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var below = await spool.SealIfAgedAsync(cancellationToken);
            var segments = spool.ListSegments();
            metrics.SetPendingSegments(segments.Count);
            foreach (var (seq, path) in segments)
            {
                if (seq >= below) break;
                if (!await ShipAsync(path, cancellationToken)) return false;
            }
            return true;
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task<bool> ShipAsync(string path, CancellationToken cancellationToken)
    {
        using var segment = TryRead(path);
        if (segment is null) return false;
        var records = segment.Records;
        if (segment.BadLines > 0 && _reportedBad.Add(path))
        {
            LogBadLines(Path.GetFileName(path), segment.BadLines, UnreadablePath(path));
            metrics.BadLines(segment.BadLines);
        }

        if (records.Count > 0)
        {
            try
            {
                var batch = new SpoolBatch(proxyOptions.Value.NodeId + "/" + Path.GetFileNameWithoutExtension(path), records) { Ndjson = segment.Lines };
                await shipper.ShipAsync(batch, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _failures++;
                metrics.ShipFailed();
                LogShipFailed(ex, Path.GetFileName(path), records.Count, _failures);
                return false;
            }
        }
        if (segment.BadLines > 0 && !TryKeepUnreadable(path, segment)) return false;
        _failures = 0;
        File.Delete(path);
        _reportedBad.Remove(path);
        var now = time.GetUtcNow();
        foreach (var observer in _observers) observer.Acknowledged(records, now);
        metrics.Shipped(records.Count);
        return true;
    }

    /// <summary>The segment read back, or null (logged) when it could not be read; it stays in the spool.</summary>
    private SpoolSegment? TryRead(string path)
    {
        try
        {
            return SpoolSegment.Read(path, _lines);
        }
        catch (IOException ex)
        {
            LogReadFailed(ex, Path.GetFileName(path));
            return null;
        }
    }

    /// <summary>Where the unreadable lines of the segment at <paramref name="path"/> are kept.</summary>
    internal static string UnreadablePath(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, UnreadableFolder, Path.GetFileName(path));

    internal const string UnreadableFolder = "unreadable";

    /// <summary>Writes the segment's unreadable lines to their file and fsyncs it; false (logged) when that failed, so the segment stays.</summary>
    private bool TryKeepUnreadable(string path, SpoolSegment segment)
    {
        var target = UnreadablePath(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var file = File.OpenHandle(target, FileMode.Create, FileAccess.Write);
            RandomAccess.Write(file, segment.UnreadableLines(), 0);
            RandomAccess.FlushToDisk(file);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _failures++;
            metrics.ShipFailed();
            LogKeepFailed(ex, Path.GetFileName(path), target);
            return false;
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.ShipIntervalMs);
        while (!cancellationToken.IsCancellationRequested)
        {
            var delay = interval;
            try
            {
                if (!await ShipAvailableAsync(cancellationToken))
                    delay = TimeSpan.FromSeconds(Math.Min(options.Value.ShipRetryMaxSeconds, 0.5 * Math.Pow(2, Math.Min(_failures, 16))));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailed(ex);
                delay = TimeSpan.FromSeconds(1);
            }
            try
            {
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Shipping spool segment {Segment} ({Records} records) failed ({Failures} in a row); it stays in the spool and is retried")]
    private partial void LogShipFailed(Exception exception, string segment, int records, int failures);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Spool segment {Segment}: {Lines} unreadable lines (a torn write from a crash, or damaged bytes) are not shipped; they are kept in {File}")]
    private partial void LogBadLines(string segment, int lines, string file);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Error, Message = "Spool segment {Segment} could not be read; it stays in the spool")]
    private partial void LogReadFailed(Exception exception, string segment);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Warning, Message = "The stop deadline passed before every spool segment was shipped; the rest ships at the next start")]
    private partial void LogStopIncomplete();

    [LoggerMessage(EventId = 9106, Level = LogLevel.Error, Message = "Spool segment {Segment}: its unreadable lines could not be kept in {File}; the segment stays in the spool and is retried")]
    private partial void LogKeepFailed(Exception exception, string segment, string file);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Error, Message = "The usage shipper loop failed; retrying")]
    private partial void LogLoopFailed(Exception exception);
}
