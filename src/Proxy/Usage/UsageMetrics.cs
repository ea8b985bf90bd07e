using System.Diagnostics.Metrics;
using Gateway.Proxy.Telemetry;

namespace Gateway.Proxy.Usage;

/// <summary>The usage path: records committed to the spool (and how many spilled past a full channel), depth, shipments.</summary>
internal sealed class UsageMetrics(ProxyTelemetry telemetry)
{
    private readonly Counter<long> _written = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.usage.spooled", "{record}", "Usage records written to the spool");

    private readonly Counter<long> _writes = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.usage.spool.writes", "{write}", "Batches appended to the spool");

    private readonly Counter<long> _syncs = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.usage.spool.fsyncs", "{fsync}", "Spool fsyncs (each covers every batch written before it)");

    private readonly Counter<long> _spilled = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.usage.channel_full", "{record}", "Records written straight to the spool because the channel was full (back-pressure, never a drop)");

    private readonly Counter<long> _shipped = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.usage.shipped", "{record}", "Records the ledger acknowledged");

    private readonly Counter<long> _shippedBatches = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.usage.shipped.batches", "{batch}", "Spool segments acknowledged by the ledger and deleted");

    private readonly Counter<long> _shipFailures = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.usage.ship.failures", "{batch}", "Shipments that failed (the segment is kept and retried)");

    private readonly Counter<long> _badLines = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.usage.spool.bad_lines", "{line}", "Unreadable spool lines skipped (torn writes from a crash)");

    private long _pendingSegments;

    public void ObserveDepth(Func<int> queued)
    {
        telemetry.Meter.CreateObservableGauge("gateway.proxy.usage.channel.depth", () => (long)queued(), "{record}", "Records waiting in the channel for the spool writer");
        telemetry.Meter.CreateObservableGauge("gateway.proxy.usage.spool.segments", () => Interlocked.Read(ref _pendingSegments), "{segment}", "Spool segments waiting to be shipped");
    }

    public void SetPendingSegments(long count) => Interlocked.Exchange(ref _pendingSegments, count);

    /// <summary>A write of <paramref name="records"/> records that came by <paramref name="path"/> (<see cref="SpoolPaths"/>).</summary>
    public void Written(int records, string path)
    {
        _written.Add(records, new KeyValuePair<string, object?>("gateway.usage.path", path));
        _writes.Add(1);
    }

    public void Synced() => _syncs.Add(1);

    public void Spilled() => _spilled.Add(1);

    public void Shipped(int records)
    {
        _shipped.Add(records);
        _shippedBatches.Add(1);
    }

    public void ShipFailed() => _shipFailures.Add(1);

    public void BadLines(int lines) => _badLines.Add(lines);
}

/// <summary>How a record reached the spool: the <c>gateway.usage.path</c> tag of <c>gateway.proxy.usage.spooled</c>.</summary>
internal static class SpoolPaths
{
    /// <summary>Queued, then appended by the writer thread.</summary>
    public const string Channel = "channel";

    /// <summary>Appended by the request's own thread: it was alone in flight, nothing was queued and the file was free.</summary>
    public const string Direct = "direct";

    /// <summary>Appended directly because the channel was full.</summary>
    public const string Spill = "spill";
}
