using Gateway.Contracts.Grpc;
using Gateway.Proxy.ControlPlane;
using Gateway.Proxy.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Snapshots.Grpc;

/// <summary>
/// The control plane's snapshot feed (gRPC <c>SnapshotFeed.Watch</c>). At start it waits up to
/// <c>Proxy:ControlPlane:InitialLoadSeconds</c> for the first snapshot (otherwise the proxy starts
/// from its last-known-good copy and this source keeps trying). Each streamed snapshot is checked
/// (signing key, gzip, ECDSA signature over the uncompressed payload, JSON, revision) and pushed
/// into the <see cref="SnapshotStore"/>, which validates it; anything refused is logged with the
/// reason and the last good snapshot stays in force. When the stream ends or fails the source
/// reconnects with exponential back-off and jitter, telling the control plane which revision it
/// holds.
/// </summary>
internal sealed partial class ControlPlaneSnapshotSource(
    SnapshotStore store,
    ControlPlaneChannel channel,
    SnapshotKeyProvider keys,
    LastKnownGood lastKnownGood,
    ControlPlaneMetrics metrics,
    IOptions<ControlPlaneOptions> options,
    IOptions<ProxyOptions> proxy,
    TimeProvider time,
    ILogger<ControlPlaneSnapshotSource> logger) : ISnapshotSource, IDisposable
{
    public const string SourceKind = "control-plane";

    /// <summary>A stream that stayed up this long counts as working even when it carried nothing (back-off resets).</summary>
    private static readonly TimeSpan HealthyStream = TimeSpan.FromSeconds(30);

    private readonly SnapshotFeed.SnapshotFeedClient _client = new(channel.Invoker);
    private readonly ControlPlaneOptions _options = options.Value;
    private OpenWatch? _pending;
    private long _appliedRevision;
    private long _refusedRevision;
    private int _refusals;

    public string Kind => SourceKind;

    /// <summary>The last revision applied from the control plane (0 before the first).</summary>
    public long AppliedRevision => Interlocked.Read(ref _appliedRevision);

    /// <summary>The revision of the last snapshot refused (bad signature, bad payload, invalid).</summary>
    public long LastRefusedRevision => Interlocked.Read(ref _refusedRevision);

    /// <summary>Snapshots refused since start.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    public async Task<bool> LoadInitialAsync(CancellationToken cancellationToken)
    {
        OpenWatch? watch = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(_options.InitialLoadSeconds));
            watch = await OpenAsync(timeout.Token);
            // The first message is awaited without cancelling the call: on a timeout the call
            // stays open and the watch loop takes the message when it comes.
            watch.Pending = watch.MoveNext();
            _pending = watch;
            if (!await watch.Pending.WaitAsync(timeout.Token))
            {
                Discard(watch);
                LogInitialNone();
                return false;
            }
            watch.Pending = null;
            return await ApplyAsync(watch.Call.ResponseStream.Current, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogInitialTimeout(_options.InitialLoadSeconds);
            return false;
        }
        catch (Exception e)
        {
            if (watch is not null)
            {
                if (e is RpcException rpc) channel.Refused(rpc, watch.Token);
                Discard(watch);
            }
            if (!cancellationToken.IsCancellationRequested) LogInitialFailed(Describe(e));
            return false;
        }
    }

    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(_options.ReconnectMinSeconds), TimeSpan.FromSeconds(_options.ReconnectMaxSeconds));
        while (!cancellationToken.IsCancellationRequested)
        {
            var watch = _pending;
            _pending = null;
            var openedAt = time.GetUtcNow();
            try
            {
                watch ??= await OpenAsync(cancellationToken);
                using (cancellationToken.Register(static w => ((OpenWatch)w!).Dispose(), watch))
                {
                    var next = watch.Pending ?? watch.MoveNext();
                    watch.Pending = null;
                    while (await next.WaitAsync(cancellationToken))
                    {
                        if (backoff.Failures > 0) LogReconnected(backoff.Failures);
                        backoff.Reset();
                        await ApplyAsync(watch.Call.ResponseStream.Current, cancellationToken);
                        next = watch.MoveNext();
                    }
                }
                LogStreamEnded();
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (watch is not null && e is RpcException rpc) channel.Refused(rpc, watch.Token);
                if (backoff.Failures == 0) LogFeedFailed(Describe(e));
                else LogFeedStillFailing(backoff.Failures + 1, Describe(e));
            }
            finally
            {
                watch?.Dispose();
            }
            if (time.GetUtcNow() - openedAt >= HealthyStream) backoff.Reset();
            metrics.Reconnects.Add(1);
            try
            {
                await Task.Delay(backoff.Next(), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void Discard(OpenWatch watch)
    {
        if (ReferenceEquals(_pending, watch)) _pending = null;
        watch.Dispose();
    }

    private async Task<OpenWatch> OpenAsync(CancellationToken cancellationToken)
    {
        // The token request honours the caller's cancellation; the call itself lives until disposed.
        // It waits for the channel to connect (the channel retries with back-off while the control
        // plane is unreachable), so the feed resumes as soon as the control plane is back.
        var token = await channel.TokenAsync(cancellationToken);
        var request = new WatchRequest { NodeId = proxy.Value.NodeId, KnownRevision = AppliedRevision };
        return new OpenWatch(_client.Watch(request, ControlPlaneChannel.Options(token, CancellationToken.None, waitForReady: true)), token);
    }

    /// <summary>Checks and applies one streamed snapshot; true when the store took it.</summary>
    private async Task<bool> ApplyAsync(SignedSnapshot message, CancellationToken cancellationToken)
    {
        var applied = AppliedRevision;
        if (message.Revision <= applied)
        {
            if (message.Revision < applied) LogRevisionWentBack(message.Revision, applied);
            else LogNotNewer(message.Revision, applied);
            return false;
        }
        var key = await keys.GetAsync(cancellationToken);
        var result = SignedSnapshotReader.Read(message, key, _options.MaxSnapshotBytes);
        if (result.WrongKey && !key.Pinned)
        {
            key = await keys.RefreshAsync(cancellationToken);
            result = SignedSnapshotReader.Read(message, key, _options.MaxSnapshotBytes);
        }
        if (result.Snapshot is null)
        {
            Refused(message.Revision);
            LogRefused(message.Revision, result.Problem!);
            return false;
        }
        if (!store.TryApply(result.Snapshot, Kind, out _))
        {
            Refused(message.Revision);
            return false;
        }
        Interlocked.Exchange(ref _appliedRevision, message.Revision);
        metrics.SnapshotApplied();
        lastKnownGood.WriteSigned(message, key);
        return true;
    }

    private void Refused(long revision)
    {
        Interlocked.Exchange(ref _refusedRevision, revision);
        Interlocked.Increment(ref _refusals);
        metrics.SnapshotRefused();
    }

    private static string Describe(Exception e) => e switch
    {
        RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        _ => e.Message,
    };

    public void Dispose() => _pending?.Dispose();

    /// <summary>An open Watch call, the token it was opened with, and a first read already under way.</summary>
    private sealed class OpenWatch(AsyncServerStreamingCall<SignedSnapshot> call, string token) : IDisposable
    {
        public AsyncServerStreamingCall<SignedSnapshot> Call { get; } = call;

        public string Token { get; } = token;

        /// <summary>A read started earlier (by the initial load) and not consumed yet.</summary>
        public Task<bool>? Pending { get; set; }

        public Task<bool> MoveNext() => Call.ResponseStream.MoveNext(CancellationToken.None);

        public void Dispose() => Call.Dispose();
    }
}
