namespace Gateway.Proxy.Usage.Grpc;

/// <summary>
/// Ships to the control plane's ledger, then appends the same batch to the local NDJSON ledger
/// (<c>Proxy:ControlPlane:LocalLedgerCopy</c>; the default run keeps one so the usage can be read
/// on disk too). The control plane is the system of record and goes first: a batch it did not
/// acknowledge is never copied; a copy that fails throws, the spool ships the batch again and the
/// control plane counts it as duplicates. Both hold the metered cost exactly.
/// </summary>
internal sealed class LocalCopyUsageShipper(GrpcUsageShipper controlPlane, NdjsonLedgerShipper localCopy) : IUsageShipper
{
    public async ValueTask ShipAsync(SpoolBatch batch, CancellationToken cancellationToken)
    {
        await controlPlane.ShipAsync(batch, cancellationToken);
        await localCopy.ShipAsync(batch, cancellationToken);
    }
}
