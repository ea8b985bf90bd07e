namespace Gateway.Proxy.Policies.Routing;

/// <summary>Circuit states of a deployment.</summary>
internal enum BreakerState
{
    Closed = 0,
    Open = 1,
    HalfOpen = 2,
}

/// <summary>
/// A deployment's circuit breaker: it opens after <see cref="BreakerSettings.FailureThreshold"/>
/// consecutive failures (connect errors, timeouts, 5xx), stays open for
/// <see cref="BreakerSettings.OpenDuration"/>, then lets one probe through (half-open); the probe's
/// success closes it, its failure opens it again. Lock-free; it outlives snapshots.
/// </summary>
internal sealed class DeploymentHealth(string deploymentId, BreakerSettings settings)
{
    private int _state;
    private int _consecutiveFailures;
    private long _stateSinceTicks;

    public string DeploymentId { get; } = deploymentId;

    public BreakerState State => (BreakerState)Volatile.Read(ref _state);

    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>True when a request could be sent now (closed, or open long enough for a probe).</summary>
    public bool IsAvailable()
    {
        var state = (BreakerState)Volatile.Read(ref _state);
        return state == BreakerState.Closed || ElapsedInState() >= settings.OpenDuration;
    }

    /// <summary>
    /// Claims the right to send a request: always when closed; when open long enough, exactly one
    /// caller becomes the half-open probe. A probe that never reported is replaced after another open period.
    /// </summary>
    public bool TryAcquire()
    {
        var state = (BreakerState)Volatile.Read(ref _state);
        if (state == BreakerState.Closed) return true;
        var since = Volatile.Read(ref _stateSinceTicks);
        if (ElapsedSince(since) < settings.OpenDuration) return false;
        // One winner per open period: whoever moves the timestamp becomes the probe.
        if (Interlocked.CompareExchange(ref _stateSinceTicks, settings.Time.GetUtcNow().UtcTicks, since) != since) return false;
        var previous = (BreakerState)Interlocked.CompareExchange(ref _state, (int)BreakerState.HalfOpen, (int)state);
        return previous == state || previous == BreakerState.Closed;
    }

    /// <summary>Records a success; returns true when this closed an open or half-open circuit.</summary>
    public bool ReportSuccess()
    {
        Volatile.Write(ref _consecutiveFailures, 0);
        return Interlocked.Exchange(ref _state, (int)BreakerState.Closed) != (int)BreakerState.Closed;
    }

    /// <summary>Records a failure; returns true when this opened the circuit.</summary>
    public bool ReportFailure()
    {
        var failures = Interlocked.Increment(ref _consecutiveFailures);
        var state = (BreakerState)Volatile.Read(ref _state);
        if (state == BreakerState.HalfOpen || (state == BreakerState.Closed && failures >= settings.FailureThreshold))
        {
            Volatile.Write(ref _stateSinceTicks, settings.Time.GetUtcNow().UtcTicks);
            return Interlocked.Exchange(ref _state, (int)BreakerState.Open) != (int)BreakerState.Open;
        }
        return false;
    }

    private TimeSpan ElapsedInState() => ElapsedSince(Volatile.Read(ref _stateSinceTicks));

    private TimeSpan ElapsedSince(long ticks) => new(settings.Time.GetUtcNow().UtcTicks - ticks);
}

/// <summary>Breaker thresholds shared by every deployment, and the clock.</summary>
internal sealed record BreakerSettings(int FailureThreshold, TimeSpan OpenDuration, TimeProvider Time);
