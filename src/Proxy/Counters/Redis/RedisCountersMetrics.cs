using System.Diagnostics.Metrics;
using Gateway.Proxy.Telemetry;

namespace Gateway.Proxy.Counters.Redis;

/// <summary>The Redis counters' availability, switches, fallback decisions and queued settlements.</summary>
internal sealed class RedisCountersMetrics(ProxyTelemetry telemetry)
{
    private readonly Counter<long> _transitions = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.counters.redis.transitions", "{switch}", "Switches between the shared Redis counters and the fallback (state: unavailable, available)");

    private readonly Counter<long> _fallback = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.counters.fallback", "{request}", "Reservations decided without Redis (outcome: local share, or fail_closed 503)");

    private readonly Counter<long> _replayed = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.counters.redis.replayed", "{operation}", "Settlements queued during an outage and applied when Redis returned");

    private readonly Counter<long> _unconfirmed = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.counters.redis.unconfirmed", "{operation}", "Settlements whose call failed after it may have reached Redis (not replayed)");

    private readonly Counter<long> _dropped = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.counters.redis.dropped", "{operation}", "Settlements dropped because the outage queue was full");

    public void Observe(RedisAdmissionCounters counters)
    {
        telemetry.Meter.CreateObservableGauge("gateway.proxy.counters.redis.available", () => counters.IsAvailable ? 1 : 0, "{state}",
            "1 while admission uses the shared Redis counters, 0 while it falls back");
        telemetry.Meter.CreateObservableGauge("gateway.proxy.counters.redis.pending", () => counters.PendingOperations, "{operation}",
            "Settlements waiting for Redis to return");
    }

    public void Transition(bool available) =>
        _transitions.Add(1, new KeyValuePair<string, object?>("state", available ? "available" : "unavailable"));

    public void Fallback(string outcome) => _fallback.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Replayed(int count) => _replayed.Add(count);

    public void Unconfirmed(int count) => _unconfirmed.Add(count);

    public void Dropped(int count) => _dropped.Add(count);
}
