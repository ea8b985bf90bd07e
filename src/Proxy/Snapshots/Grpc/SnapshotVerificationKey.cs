using System.Security.Cryptography;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.ControlPlane;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Snapshots.Grpc;

/// <summary>A public key snapshots are verified with, and its id (<see cref="SnapshotSigning.KeyIdOf"/>).</summary>
internal sealed class SnapshotVerificationKey
{
    public SnapshotVerificationKey(string pem, bool pinned)
    {
        Key = ECDsa.Create();
        Key.ImportFromPem(pem);
        KeyId = SnapshotSigning.KeyIdOf(Key);
        Pinned = pinned;
    }

    public ECDsa Key { get; }

    public string KeyId { get; }

    /// <summary>From configuration (trusted), rather than fetched from the control plane.</summary>
    public bool Pinned { get; }
}

/// <summary>
/// The control plane's snapshot-signing public key: pinned in configuration
/// (<c>Proxy:ControlPlane:SigningPublicKey</c>/<c>SigningPublicKeyFile</c>), or fetched from
/// <c>{Authority}/snapshot/public-key</c> and fetched again (at most every 30 s) when a snapshot
/// names another key (the control plane's key was rotated). A pinned key is never replaced.
/// </summary>
internal sealed partial class SnapshotKeyProvider(
    IOptions<ControlPlaneOptions> options, IHttpClientFactory httpFactory, TimeProvider time, ILogger<SnapshotKeyProvider> logger)
{
    private static readonly TimeSpan RefetchInterval = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private SnapshotVerificationKey? _key = options.Value.PinnedPublicKeyPem() is { } pem ? new SnapshotVerificationKey(pem, pinned: true) : null;
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    /// <summary>The key in force; fetches it on first use when it is not pinned.</summary>
    public async ValueTask<SnapshotVerificationKey> GetAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _key) ?? await FetchAsync(force: false, cancellationToken);

    /// <summary>After a snapshot named another key: fetches the control plane's key again (not when pinned, not more than every 30 s).</summary>
    public async ValueTask<SnapshotVerificationKey> RefreshAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _key) is { Pinned: true } pinned) return pinned;
        return await FetchAsync(force: true, cancellationToken);
    }

    private async Task<SnapshotVerificationKey> FetchAsync(bool force, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_key is { } current && (!force || time.GetUtcNow() - _fetchedAt < RefetchInterval)) return current;
            var endpoint = options.Value.PublicKeyEndpoint();
            var pem = await httpFactory.CreateClient(Gateway.Proxy.ControlPlane.ControlPlaneTokenClient.HttpClientName).GetStringAsync(endpoint, cancellationToken);
            SnapshotVerificationKey key;
            try
            {
                key = new SnapshotVerificationKey(pem, pinned: false);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw new InvalidDataException($"{endpoint} did not answer an ECDSA public key in PEM form: {e.Message}", e);
            }
            _fetchedAt = time.GetUtcNow();
            if (_key?.KeyId != key.KeyId) LogFetched(key.KeyId, endpoint);
            Volatile.Write(ref _key, key);
            return key;
        }
        finally
        {
            _lock.Release();
        }
    }

    [LoggerMessage(EventId = 1131, Level = LogLevel.Information,
        Message = "Snapshot-signing public key {KeyId} fetched from {Endpoint} (pin it with Proxy:ControlPlane:SigningPublicKey in production)")]
    private partial void LogFetched(string keyId, Uri endpoint);
}
