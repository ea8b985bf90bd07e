using System.Text.Json;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// The last accepted snapshot on local disk (<c>{DataDirectory}/snapshot.lkg.json</c>), written
/// atomically after each accepted snapshot and read at start when no source answers. Snapshots
/// carry credential references and key hashes only, so nothing secret is written.
/// </summary>
internal sealed partial class LastKnownGood(IOptions<ProxyOptions> options, ILogger<LastKnownGood> logger)
{
    public const string FileName = "snapshot.lkg.json";

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetFullPath(options.Value.DataDirectory), FileName);

    /// <summary>Writes <paramref name="snapshot"/> unless it came from this file.</summary>
    public void Write(CompiledSnapshot snapshot)
    {
        if (snapshot.Source == SnapshotSourceKinds.LastKnownGood) return;
        var temp = Path + ".tmp";
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                SnapshotJson.Serialize(stream, snapshot.ToSpec());
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, Path, overwrite: true);
            LogWritten(snapshot.Revision, Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(Path, ex.Message);
        }
    }

    /// <summary>Reads the file, or null when it is absent or unreadable (logged).</summary>
    public GatewaySnapshot? Read()
    {
        if (!File.Exists(Path)) return null;
        try
        {
            return SnapshotJson.Deserialize(File.ReadAllBytes(Path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            LogReadFailed(Path, ex.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, Message = "Last-known-good snapshot revision {Revision} written to {Path}")]
    private partial void LogWritten(long revision, string path);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Could not write the last-known-good snapshot to {Path}: {Error}")]
    private partial void LogWriteFailed(string path, string error);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Could not read the last-known-good snapshot {Path}: {Error}")]
    private partial void LogReadFailed(string path, string error);
}
