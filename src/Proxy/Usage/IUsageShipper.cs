using Gateway.Contracts.Usage;

namespace Gateway.Proxy.Usage;

/// <summary>
/// A batch of usage records read back from one spool segment (or part of it).
/// <see cref="BatchId"/> is unique and stable for the same records (segment + range), so a
/// re-shipped batch carries the same id; the receiver deduplicates by request id anyway.
/// </summary>
internal sealed record SpoolBatch(string BatchId, IReadOnlyList<UsageRecord> Records)
{
    /// <summary>
    /// <see cref="Records"/> as the spool holds them, one NDJSON line each (the format of
    /// <see cref="UsageSpool.Serialize"/>), when the segment is exactly that; empty when a shipper
    /// that needs the lines must serialize the records itself. Valid only during the shipment.
    /// </summary>
    public ReadOnlyMemory<byte> Ndjson { get; init; }
}

/// <summary>
/// Moves spooled usage to the ledger. <see cref="ShipAsync"/> returns only after the receiver has
/// durably committed the batch (the acknowledgement); it throws when it could not, and the spool
/// keeps the segment and ships it again later. Implementations: the local NDJSON ledger
/// (standalone mode) and the control plane's gRPC <c>UsageIngestion</c> service.
/// </summary>
internal interface IUsageShipper
{
    ValueTask ShipAsync(SpoolBatch batch, CancellationToken cancellationToken);
}
