using System.Reflection;
using Gateway.Contracts.Grpc;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Snapshots;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.ControlPlane;

/// <summary>
/// Reports to the control plane every <c>Proxy:ControlPlane:HeartbeatSeconds</c> (5 s): node id,
/// the applied snapshot revision, host name, version and the usage backlog. The reply's live
/// proxy count goes to <see cref="ControlPlaneStatus"/>. Failures are logged once per outage
/// and the beat goes on; an <c>Unauthenticated</c> answer renews the token.
/// </summary>
internal sealed partial class HeartbeatService(
    ControlPlaneChannel channel,
    SnapshotStore store,
    ControlPlaneStatus status,
    IOptions<ControlPlaneOptions> options,
    IOptions<ProxyOptions> proxy,
    TimeProvider time,
    IServiceProvider services,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    private static readonly string Version =
        typeof(HeartbeatService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private readonly SnapshotFeed.SnapshotFeedClient _client = new(channel.Invoker);
    private readonly IUsageBacklog? _backlog = services.GetService<IUsageBacklog>();
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(options.Value.HeartbeatSeconds);
        using var timer = new PeriodicTimer(period, time);
        do
        {
            await BeatAsync(period, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One heartbeat; true when the control plane acknowledged it.</summary>
    internal async Task<bool> BeatAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        string? token = null;
        try
        {
            token = await channel.TokenAsync(cancellationToken);
            var reply = await _client.HeartbeatAsync(new ProxyHeartbeat
            {
                NodeId = proxy.Value.NodeId,
                AppliedRevision = store.Current?.Revision ?? 0,
                HostName = Environment.MachineName,
                Version = Version,
                SentAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
                PendingUsageRecords = Math.Max(0, _backlog?.PendingRecords ?? 0),
            }, ControlPlaneChannel.Options(token, cancellationToken, timeout));
            status.HeartbeatAcknowledged(reply.LiveProxies, time.GetUtcNow());
            if (_failing) LogRecovered(reply.LiveProxies);
            _failing = false;
            return true;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // stopping: the beat in flight was cancelled
            return false;
        }
        catch (Exception e)
        {
            if (e is RpcException rpc && token is not null) channel.Refused(rpc, token);
            if (!_failing) LogFailed(e.Message);
            _failing = true;
            return false;
        }
    }

    [LoggerMessage(EventId = 1121, Level = LogLevel.Warning, Message = "Heartbeat to the control plane failed ({Error}); retrying every period")]
    private partial void LogFailed(string error);

    [LoggerMessage(EventId = 1122, Level = LogLevel.Information, Message = "Heartbeats reach the control plane again ({LiveProxies} live proxies)")]
    private partial void LogRecovered(int liveProxies);
}
