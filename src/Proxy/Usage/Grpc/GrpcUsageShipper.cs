using Gateway.Contracts.Grpc;
using Gateway.Contracts.Usage;
using Gateway.Proxy.ControlPlane;
using Gateway.Proxy.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Usage.Grpc;

/// <summary>
/// Ships spool batches to the control plane's ledger over the bidirectional gRPC call
/// <c>UsageIngestion.Ship</c>. One call stays open between batches; a batch is written and its
/// acknowledgement awaited (the control plane acknowledges only after its commit), so
/// <see cref="ShipAsync"/> returns only once the records are in the ledger. Any failure (no
/// ack, another batch's ack, a transport error, a refused token) closes the call and throws: the
/// spool keeps the batch and ships it again, and the next batch opens a new call. Re-shipping is
/// safe: the ledger counts a request id it already holds as a duplicate.
/// </summary>
internal sealed partial class GrpcUsageShipper(
    ControlPlaneChannel channel,
    ControlPlaneMetrics metrics,
    IOptions<ControlPlaneOptions> options,
    IOptions<ProxyOptions> proxy,
    ILogger<GrpcUsageShipper> logger) : IUsageShipper, IAsyncDisposable
{
    private readonly UsageIngestion.UsageIngestionClient _client = new(channel.Invoker);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ShipCall? _call;
    private int _disposed;

    public async ValueTask ShipAsync(SpoolBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var message = ToMessage(batch, proxy.Value.NodeId);

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var reused = _call is not null;
            try
            {
                await ShipOnceAsync(message, cancellationToken);
            }
            catch (Exception e) when (reused && !cancellationToken.IsCancellationRequested)
            {
                // The call kept open since the last batch broke meanwhile (the control plane
                // restarted, the connection dropped): try once more on a new call.
                LogReopening(batch.BatchId, Describe(e));
                await ShipOnceAsync(message, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogShipFailed(batch.BatchId, batch.Records.Count, Describe(e));
            throw e as UsageShippingException ?? new UsageShippingException($"Usage batch {batch.BatchId} was not acknowledged: {Describe(e)}", e);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The batch as the ledger takes it: every record as metered, cost included to its last
    /// decimal (the ledger keeps 12, the most a token count times a 6-decimal price needs).
    /// </summary>
    internal static UsageBatch ToMessage(SpoolBatch batch, string nodeId)
    {
        var message = new UsageBatch { BatchId = batch.BatchId, NodeId = nodeId };
        foreach (var record in batch.Records)
        {
            message.Records.Add(record.ToMessage());
        }
        return message;
    }

    private async Task ShipOnceAsync(UsageBatch message, CancellationToken cancellationToken)
    {
        var call = _call ??= await OpenAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.ShipTimeoutSeconds));
        try
        {
            await call.Call.RequestStream.WriteAsync(message, timeout.Token);
            if (!await call.Call.ResponseStream.MoveNext(timeout.Token))
                throw new UsageShippingException($"The control plane ended the call without acknowledging batch {message.BatchId}.");
            var ack = call.Call.ResponseStream.Current;
            if (!string.Equals(ack.BatchId, message.BatchId, StringComparison.Ordinal))
                throw new UsageShippingException($"The control plane acknowledged batch '{ack.BatchId}' while batch '{message.BatchId}' was awaited.");
            metrics.Acknowledged(ack.Inserted, ack.Duplicates, ack.Rejected);
            if (ack.Rejected > 0) LogRejected(message.BatchId, ack.Rejected);
            LogShipped(message.BatchId, ack.Inserted, ack.Duplicates, ack.Rejected);
        }
        catch (Exception e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Close();
            throw new UsageShippingException($"No acknowledgement of batch {message.BatchId} within {options.Value.ShipTimeoutSeconds} s.", e);
        }
        catch (Exception e)
        {
            // The call's state is unknown now (a half-written batch, a lost ack): never reuse it.
            if (e is RpcException rpc) channel.Refused(rpc, call.Token);
            Close();
            throw;
        }
    }

    private async Task<ShipCall> OpenAsync(CancellationToken cancellationToken)
    {
        var token = await channel.TokenAsync(cancellationToken);
        return new ShipCall(_client.Ship(ControlPlaneChannel.Options(token, CancellationToken.None)), token);
    }

    private void Close()
    {
        _call?.Call.Dispose();
        _call = null;
    }

    private static string Describe(Exception e) => e switch
    {
        RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        _ => e.Message,
    };

    /// <summary>Closes the open call politely. Idempotent: DI may hold this shipper under several service types.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _gate.WaitAsync();
        try
        {
            if (_call is { } open)
            {
                try
                {
                    await open.Call.RequestStream.CompleteAsync();
                }
                catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
                {
                    // Closing politely is best effort; the call is disposed either way.
                }
            }
            Close();
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record ShipCall(AsyncDuplexStreamingCall<UsageBatch, UsageAck> Call, string Token);

    [LoggerMessage(EventId = 1161, Level = LogLevel.Debug, Message = "Usage batch {BatchId} acknowledged: {Inserted} inserted, {Duplicates} duplicates, {Rejected} rejected")]
    private partial void LogShipped(string batchId, int inserted, int duplicates, int rejected);

    [LoggerMessage(EventId = 1162, Level = LogLevel.Warning,
        Message = "Usage batch {BatchId}: the control plane quarantined {Rejected} malformed records (see its UsageQuarantine table)")]
    private partial void LogRejected(string batchId, int rejected);

    [LoggerMessage(EventId = 1163, Level = LogLevel.Warning, Message = "Usage batch {BatchId} ({Count} records) was not acknowledged ({Error}); the spool keeps it and ships it again")]
    private partial void LogShipFailed(string batchId, int count, string error);

    [LoggerMessage(EventId = 1164, Level = LogLevel.Debug, Message = "Usage batch {BatchId}: the open Ship call broke ({Error}); opening a new one")]
    private partial void LogReopening(string batchId, string error);
}

/// <summary>A usage batch was not acknowledged by the control plane; the spool keeps it.</summary>
internal sealed class UsageShippingException : Exception
{
    public UsageShippingException(string message) : base(message)
    {
    }

    public UsageShippingException(string message, Exception inner) : base(message, inner)
    {
    }
}
