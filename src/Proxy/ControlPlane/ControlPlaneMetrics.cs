using System.Diagnostics.Metrics;
using Gateway.Proxy.Telemetry;

namespace Gateway.Proxy.ControlPlane;

/// <summary>The proxy's side of the control-plane link: snapshots received, feed reconnects, usage shipped.</summary>
internal sealed class ControlPlaneMetrics
{
    public ControlPlaneMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(ProxyTelemetry.Name);
        Snapshots = meter.CreateCounter<long>("gateway.proxy.snapshot.received", "{snapshot}",
            "Snapshots received from the control plane, by result (applied, refused)");
        Reconnects = meter.CreateCounter<long>("gateway.proxy.controlplane.reconnects", "{attempt}",
            "Snapshot feed connection attempts after a failure or a dropped stream");
        UsageRecords = meter.CreateCounter<long>("gateway.proxy.usage.ledger.acknowledged", "{record}",
            "Usage records the control plane's ledger acknowledged, by result (inserted, duplicate, rejected)");
    }

    public Counter<long> Snapshots { get; }

    public Counter<long> Reconnects { get; }

    public Counter<long> UsageRecords { get; }

    public void SnapshotApplied() => Snapshots.Add(1, new KeyValuePair<string, object?>("result", "applied"));

    public void SnapshotRefused() => Snapshots.Add(1, new KeyValuePair<string, object?>("result", "refused"));

    public void Acknowledged(int inserted, int duplicates, int rejected)
    {
        if (inserted > 0) UsageRecords.Add(inserted, new KeyValuePair<string, object?>("result", "inserted"));
        if (duplicates > 0) UsageRecords.Add(duplicates, new KeyValuePair<string, object?>("result", "duplicate"));
        if (rejected > 0) UsageRecords.Add(rejected, new KeyValuePair<string, object?>("result", "rejected"));
    }
}
