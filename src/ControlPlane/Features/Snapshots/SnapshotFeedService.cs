using Gateway.Contracts.Grpc;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.ProxyNodes;
using Gateway.ControlPlane.Infrastructure;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gateway.ControlPlane.Features.Snapshots;

/// <summary>
/// gRPC <c>gateway.v1.SnapshotFeed</c>. <c>Watch</c> sends the current signed snapshot at once
/// (unless the proxy already holds that revision or a newer one) and then every newer revision
/// this replica publishes, until the proxy disconnects. <c>Heartbeat</c> records the applied revision.
/// Callers need an access token with scope <c>gateway.proxy</c> (client credentials).
/// </summary>
[Authorize(Policy = Policies.Proxy)]
internal sealed partial class SnapshotFeedService(
    SnapshotHub hub, IServiceScopeFactory scopes, TimeProvider time, IOptions<SnapshotOptions> options, ILogger<SnapshotFeedService> logger)
    : SnapshotFeed.SnapshotFeedBase
{
    public override async Task Watch(WatchRequest request, IServerStreamWriter<SignedSnapshot> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        RequireNodeId(request.NodeId);
        var cancellationToken = context.CancellationToken;
        await TouchAsync(request.NodeId, context, null, cancellationToken);
        LogWatching(logger, request.NodeId, request.KnownRevision);

        // Never a revision the proxy already holds or has passed: a replica that lags behind the
        // one the proxy came from (by up to one poll) waits until it catches up.
        var sent = request.KnownRevision;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (hub.Current is { } current && current.Revision > sent)
            {
                await responseStream.WriteAsync(current.Message, cancellationToken);
                sent = current.Revision;
            }
            try
            {
                await hub.WaitForNewerAsync(sent, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    public override async Task<HeartbeatReply> Heartbeat(ProxyHeartbeat request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        RequireNodeId(request.NodeId);
        if (request.AppliedRevision < 0 || request.PendingUsageRecords < 0)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "applied_revision and pending_usage_records must be zero or positive"));
        var live = await TouchAsync(request.NodeId, context, node =>
        {
            node.AppliedRevision = request.AppliedRevision;
            node.PendingUsageRecords = request.PendingUsageRecords;
            node.HostName = PlainText.Printable(request.HostName, 256);
            node.Version = PlainText.Printable(request.Version, 64);
        }, context.CancellationToken);
        return new HeartbeatReply { LiveProxies = live };
    }

    private async Task<int> TouchAsync(string nodeId, ServerCallContext context, Action<ProxyNode>? update, CancellationToken cancellationToken)
    {
        var clientId = context.GetHttpContext().User.GetClaim(Claims.Subject) ?? "";
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var now = time.GetUtcNow();
        await ProxyRegistry.TouchAsync(db, nodeId, clientId, now, update, cancellationToken);
        return await db.ProxyNodes.CountAsync(p => p.LastSeenAt > now.AddSeconds(-options.Value.LiveWindowSeconds), cancellationToken);
    }

    private static void RequireNodeId(string nodeId)
    {
        if (!SnapshotValidator.IsId(nodeId))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "node_id must be 1-128 characters of letters, digits, '-', '_', '.', ':' or '/'"));
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Proxy {NodeId} is watching the snapshot feed (holds revision {Revision})")]
    private static partial void LogWatching(ILogger logger, string nodeId, long revision);
}
