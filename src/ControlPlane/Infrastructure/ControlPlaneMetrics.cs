using System.Diagnostics.Metrics;

namespace Gateway.ControlPlane.Infrastructure;

/// <summary>The control plane's metrics (IMeterFactory).</summary>
internal sealed class ControlPlaneMetrics
{
    public const string MeterName = "Gateway.ControlPlane";

    private readonly Counter<long> _usageInserted;
    private readonly Counter<long> _usageDuplicates;
    private readonly Counter<long> _usageRejected;
    private readonly Counter<long> _snapshotsPublished;

    public ControlPlaneMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _usageInserted = meter.CreateCounter<long>("gateway.usage.records.inserted", "{record}", "Usage records inserted into the ledger");
        _usageDuplicates = meter.CreateCounter<long>("gateway.usage.records.duplicates", "{record}", "Replayed usage records ignored");
        _usageRejected = meter.CreateCounter<long>("gateway.usage.records.quarantined", "{record}", "Malformed usage records quarantined");
        _snapshotsPublished = meter.CreateCounter<long>("gateway.snapshot.published", "{snapshot}", "Snapshot revisions compiled and published");
    }

    public void UsageShipped(int inserted, int duplicates, int rejected)
    {
        _usageInserted.Add(inserted);
        _usageDuplicates.Add(duplicates);
        _usageRejected.Add(rejected);
    }

    public void SnapshotPublished() => _snapshotsPublished.Add(1);
}
