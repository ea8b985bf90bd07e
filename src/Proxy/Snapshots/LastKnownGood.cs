using System.Text.Json;
using Gateway.Contracts.Grpc;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.ControlPlane;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Snapshots.Grpc;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// The last accepted snapshot on local disk, written atomically (temporary file, fsync, rename)
/// after each accepted snapshot and read at start when no source answers. Snapshots carry
/// credential references and key hashes only, so nothing secret is written.
/// <para>
/// A proxy fed by the control plane keeps the snapshot <b>as it was signed</b>
/// (<c>{DataDirectory}/snapshot.lkg.signed</c>: the streamed message, payload and signature) and
/// verifies it again before using it, with the pinned key, or without one with the key it was
/// verified with when it arrived (<c>snapshot.lkg.key.pem</c>): a copy edited on disk, to let a key
/// in or lift a limit, is refused like a tampered snapshot from the feed. A standalone proxy (a
/// snapshot file, the demo catalog) has nothing signed to keep and writes the snapshot as JSON
/// (<c>snapshot.lkg.json</c>), which such a proxy alone reads.
/// </para>
/// </summary>
internal sealed partial class LastKnownGood(IOptions<ProxyOptions> options, IOptions<ControlPlaneOptions> controlPlane, ILogger<LastKnownGood> logger)
{
    public const string FileName = "snapshot.lkg.json";
    public const string SignedFileName = "snapshot.lkg.signed";
    public const string KeyFileName = "snapshot.lkg.key.pem";

    private readonly string _directory = System.IO.Path.GetFullPath(options.Value.DataDirectory);

    /// <summary>The id of the key this process last wrote beside the signed copy (it changes only with a rotation).</summary>
    private string? _keyWritten;

    /// <summary>True when the control plane feeds this proxy: only a signed copy is written and read.</summary>
    private bool Signed => controlPlane.Value.Enabled();

    /// <summary>The copy this proxy writes and reads.</summary>
    public string Path => System.IO.Path.Combine(_directory, Signed ? SignedFileName : FileName);

    private string KeyPath => System.IO.Path.Combine(_directory, KeyFileName);

    /// <summary>Writes <paramref name="snapshot"/> as JSON, unless it came from this copy or the control plane (whose signed message is kept instead).</summary>
    public void Write(CompiledSnapshot snapshot)
    {
        if (snapshot.Source == SnapshotSourceKinds.LastKnownGood || Signed) return;
        if (TryWriteAtomically(Path, stream => SnapshotJson.Serialize(stream, snapshot.ToSpec()))) LogWritten(snapshot.Revision, Path);
    }

    /// <summary>Keeps the control plane's message as it was signed, and the key it was verified with when that key is not pinned.</summary>
    public void WriteSigned(SignedSnapshot message, SnapshotVerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Pinned && (key.KeyId != _keyWritten || !File.Exists(KeyPath)))
        {
            if (!TryWriteAtomically(KeyPath, stream => stream.Write(System.Text.Encoding.ASCII.GetBytes(key.Key.ExportSubjectPublicKeyInfoPem())))) return;
            _keyWritten = key.KeyId;
        }
        if (TryWriteAtomically(Path, message.WriteTo)) LogWritten(message.Revision, Path);
    }

    /// <summary>Reads the copy, or null when it is absent, unreadable or (signed) does not verify; logged.</summary>
    public GatewaySnapshot? Read()
    {
        if (!File.Exists(Path)) return null;
        try
        {
            return Signed ? ReadSigned() : SnapshotJson.Deserialize(File.ReadAllBytes(Path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidProtocolBufferException)
        {
            LogReadFailed(Path, ex.Message);
            return null;
        }
    }

    private GatewaySnapshot? ReadSigned()
    {
        var message = SignedSnapshot.Parser.ParseFrom(File.ReadAllBytes(Path));
        SnapshotVerificationKey key;
        if (controlPlane.Value.PinnedPublicKeyPem() is { } pinned)
        {
            key = new SnapshotVerificationKey(pinned, pinned: true);
        }
        else if (!File.Exists(KeyPath))
        {
            LogRefused(Path, $"there is no {KeyFileName} beside it to verify it with (pin Proxy:ControlPlane:SigningPublicKey)");
            return null;
        }
        else
        {
            try
            {
                key = new SnapshotVerificationKey(File.ReadAllText(KeyPath), pinned: false);
            }
            catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
            {
                LogRefused(Path, $"{KeyFileName} is not an ECDSA public key in PEM form");
                return null;
            }
        }
        var result = SignedSnapshotReader.Read(message, key, controlPlane.Value.MaxSnapshotBytes);
        if (result.Snapshot is null) LogRefused(Path, result.Problem!);
        return result.Snapshot;
    }

    private bool TryWriteAtomically(string path, Action<Stream> write)
    {
        var temp = path + ".tmp";
        try
        {
            Directory.CreateDirectory(_directory);
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(path, ex.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, Message = "Last-known-good snapshot revision {Revision} written to {Path}")]
    private partial void LogWritten(long revision, string path);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Could not write the last-known-good snapshot to {Path}: {Error}")]
    private partial void LogWriteFailed(string path, string error);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Could not read the last-known-good snapshot {Path}: {Error}")]
    private partial void LogReadFailed(string path, string error);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Error, Message = "The last-known-good snapshot {Path} was refused: {Problem}")]
    private partial void LogRefused(string path, string problem);
}
