using Gateway.Contracts.Grpc;
using Gateway.ControlPlane.Infrastructure;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Gateway.ControlPlane.Features.Usage;

/// <summary>
/// gRPC <c>gateway.v1.UsageIngestion</c>: a proxy streams spool batches; each one is committed to
/// the ledger and then acknowledged (<c>inserted</c>, <c>duplicates</c>, <c>rejected</c>), in order.
/// A batch that fails to commit ends the call with an error and is not acknowledged: the proxy
/// keeps it and ships it again (a replay is a no-op for what did commit).
/// </summary>
[Authorize(Policy = Policies.Proxy)]
internal sealed partial class UsageIngestionService(IServiceScopeFactory scopes, ControlPlaneMetrics metrics, ILogger<UsageIngestionService> logger)
    : UsageIngestion.UsageIngestionBase
{
    public override async Task Ship(IAsyncStreamReader<UsageBatch> requestStream, IServerStreamWriter<UsageAck> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        await foreach (var batch in requestStream.ReadAllAsync(context.CancellationToken))
        {
            IngestResult result;
            await using (var scope = scopes.CreateAsyncScope())
            {
                result = await scope.ServiceProvider.GetRequiredService<UsageLedger>().IngestAsync(batch, context.CancellationToken);
            }
            metrics.UsageShipped(result.Inserted, result.Duplicates, result.Rejected);
            if (result.Rejected > 0) LogQuarantined(logger, result.Rejected, batch.BatchId, batch.NodeId);
            await responseStream.WriteAsync(new UsageAck
            {
                BatchId = batch.BatchId, Inserted = result.Inserted, Duplicates = result.Duplicates, Rejected = result.Rejected,
            }, context.CancellationToken);
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Quarantined {Count} malformed usage records of batch {BatchId} from {NodeId}")]
    private static partial void LogQuarantined(ILogger logger, int count, string batchId, string nodeId);
}
