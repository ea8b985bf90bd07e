using System.IO.Hashing;
using System.Text.Json;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// Standalone mode: the snapshot from a JSON file (or YAML, by the <c>.yaml</c>/<c>.yml</c>
/// extension), hot-reloaded when the file changes (a change notification, with a timestamp poll
/// as a safety net). A file that does not parse or validate is logged and ignored.
/// </summary>
internal sealed partial class FileSnapshotSource : ISnapshotSource
{
    private readonly SnapshotStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<FileSnapshotSource> _logger;
    private readonly TimeSpan _poll;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private ulong _lastContentHash;
    private (DateTime WriteTime, long Length) _lastSeen;

    public FileSnapshotSource(SnapshotStore store, IOptions<ProxyOptions> options, TimeProvider time, ILogger<FileSnapshotSource> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
        Path = System.IO.Path.GetFullPath(options.Value.Snapshot.File!);
        _poll = TimeSpan.FromSeconds(options.Value.Snapshot.PollSeconds);
    }

    public string Kind => SnapshotSourceKinds.File;

    public string Path { get; }

    public async Task<bool> LoadInitialAsync(CancellationToken cancellationToken) =>
        await ReloadAsync(force: true, cancellationToken) == ReloadResult.Applied;

    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        var changed = new SemaphoreSlim(0, 1);
        void Signal(object? sender, EventArgs e)
        {
            try { changed.Release(); }
            catch (SemaphoreFullException) { }
        }
        // Without its folder there is nothing to watch yet: the poll alone notices when the file appears.
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        using var watcher = Directory.Exists(folder)
            ? new FileSystemWatcher(folder, System.IO.Path.GetFileName(Path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            }
            : null;
        if (watcher is not null)
        {
            watcher.Changed += Signal;
            watcher.Created += Signal;
            watcher.Renamed += Signal;
            watcher.EnableRaisingEvents = true;
        }
        while (!cancellationToken.IsCancellationRequested)
        {
            // Wake on a change notification (true) or at the poll interval (false), whichever comes
            // first. A timed wait, not a cancelled one: an idle proxy polls without throwing.
            bool signaled;
            try
            {
                signaled = await changed.WaitAsync(_poll, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            try
            {
                await ReloadAsync(force: false, cancellationToken, checkTimestamp: !signaled);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Reads the file and applies it when its content changed (or always with <paramref name="force"/>).
    /// A poll first compares the timestamp and size (<paramref name="checkTimestamp"/>); a change
    /// notification reads the file and compares its content.
    /// </summary>
    public async Task<ReloadResult> ReloadAsync(bool force, CancellationToken cancellationToken, bool checkTimestamp = false)
    {
        await _reloadLock.WaitAsync(cancellationToken);
        try
        {
            var info = new FileInfo(Path);
            if (!info.Exists)
            {
                if (force) _store.ReportUnreadable(Kind, $"{Path} does not exist");
                return ReloadResult.Unreadable;
            }
            var seen = (info.LastWriteTimeUtc, info.Length);
            if (!force && checkTimestamp && seen == _lastSeen) return ReloadResult.Unchanged;
            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(Path, cancellationToken);
            }
            catch (IOException ex)
            {
                _store.ReportUnreadable(Kind, ex.Message);
                return ReloadResult.Unreadable;
            }
            _lastSeen = seen;
            var hash = XxHash3.HashToUInt64(bytes);
            if (!force && hash == _lastContentHash) return ReloadResult.Unchanged;
            _lastContentHash = hash;

            GatewaySnapshot snapshot;
            try
            {
                snapshot = Parse(bytes);
            }
            catch (JsonException ex)
            {
                _store.ReportUnreadable(Kind, $"{Path}: {(ex.Path is { } path ? path + ": " : "")}{ex.Message}");
                return ReloadResult.Invalid;
            }
            catch (YamlDotNet.Core.YamlException ex)
            {
                _store.ReportUnreadable(Kind, $"{Path}: line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}");
                return ReloadResult.Invalid;
            }
            if (!_store.TryApply(snapshot, Kind, out _)) return ReloadResult.Invalid;
            LogReloaded(Path, snapshot.Revision);
            return ReloadResult.Applied;
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    private GatewaySnapshot Parse(byte[] bytes)
    {
        var extension = System.IO.Path.GetExtension(Path);
        if (extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || extension.Equals(".yml", StringComparison.OrdinalIgnoreCase))
            return SnapshotJson.Deserialize(YamlSnapshotReader.ToJson(bytes));
        return SnapshotJson.Deserialize(bytes);
    }

    [LoggerMessage(EventId = 1031, Level = LogLevel.Information, Message = "Snapshot file {Path} (revision {Revision}) loaded")]
    private partial void LogReloaded(string path, long revision);
}

internal enum ReloadResult
{
    Applied,
    Unchanged,
    Invalid,
    Unreadable,
}
