namespace Gateway.Proxy.Snapshots;

/// <summary>
/// Starts the snapshot sources before the server takes requests: each source tries its initial
/// load; when none answered, the last-known-good copy is used. Every accepted snapshot is then
/// written back as the new last-known-good. Sources keep watching in the background.
/// </summary>
internal sealed partial class SnapshotBootstrapper(
    SnapshotStore store,
    SnapshotSources configured,
    LastKnownGood lastKnownGood,
    ILogger<SnapshotBootstrapper> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _watchers = [];
    private readonly IReadOnlyList<ISnapshotSource> _sources = configured.All;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        store.Applied += lastKnownGood.Write;
        foreach (var source in _sources)
        {
            await source.LoadInitialAsync(cancellationToken);
        }
        if (store.Current is null)
        {
            if (lastKnownGood.Read() is { } snapshot && store.TryApply(snapshot, SnapshotSourceKinds.LastKnownGood, out _))
                LogUsingLastKnownGood(snapshot.Revision, lastKnownGood.Path);
            else
                LogNoSnapshot();
        }
        foreach (var source in _sources)
        {
            _watchers.Add(Task.Run(() => WatchAsync(source), CancellationToken.None));
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_watchers).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        store.Applied -= lastKnownGood.Write;
        _stopping.Dispose();
    }

    private async Task WatchAsync(ISnapshotSource source)
    {
        try
        {
            await source.WatchAsync(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogWatcherFailed(ex, source.Kind);
        }
    }

    [LoggerMessage(EventId = 1021, Level = LogLevel.Warning, Message = "No snapshot source answered; starting from the last-known-good snapshot revision {Revision} ({Path})")]
    private partial void LogUsingLastKnownGood(long revision, string path);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Error, Message = "No snapshot source answered and there is no last-known-good snapshot: every gateway request answers 503 until a snapshot arrives")]
    private partial void LogNoSnapshot();

    [LoggerMessage(EventId = 1023, Level = LogLevel.Error, Message = "Snapshot source {Kind} stopped watching")]
    private partial void LogWatcherFailed(Exception exception, string kind);
}
