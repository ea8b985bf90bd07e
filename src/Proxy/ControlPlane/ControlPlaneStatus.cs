namespace Gateway.Proxy.ControlPlane;

/// <summary>
/// What this proxy last heard from the control plane: the live proxy count from the last
/// heartbeat reply (kept for fail-open limit shares; the snapshot carries it too) and when.
/// </summary>
internal sealed class ControlPlaneStatus
{
    private long _lastHeartbeatTicks;
    private int _liveProxies;
    private int _heartbeats;

    /// <summary>Live proxies according to the last heartbeat reply (0 before the first).</summary>
    public int LiveProxies => Volatile.Read(ref _liveProxies);

    /// <summary>When the last heartbeat was acknowledged.</summary>
    public DateTimeOffset? LastHeartbeatAt => Volatile.Read(ref _lastHeartbeatTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>Acknowledged heartbeats since start.</summary>
    public int Heartbeats => Volatile.Read(ref _heartbeats);

    public void HeartbeatAcknowledged(int liveProxies, DateTimeOffset at)
    {
        Volatile.Write(ref _liveProxies, liveProxies);
        Volatile.Write(ref _lastHeartbeatTicks, at.UtcTicks);
        Interlocked.Increment(ref _heartbeats);
    }
}
