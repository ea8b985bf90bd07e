namespace Gateway.Proxy.ControlPlane;

/// <summary>
/// Exponential reconnect back-off with jitter: the n-th consecutive failure waits a random time
/// in [d/2, d] where d = min · 2ⁿ capped at max (and never less than min), so a fleet of proxies
/// that lost the control plane together does not reconnect in lock-step. <see cref="Reset"/>
/// after a connection that worked. Not thread-safe: one per reconnect loop.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan min, TimeSpan max, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    /// <summary>Consecutive failures since the last <see cref="Reset"/>.</summary>
    public int Failures { get; private set; }

    /// <summary>The delay before the next attempt; counts one more failure.</summary>
    public TimeSpan Next()
    {
        var ceiling = Ceiling(Failures);
        Failures = Math.Min(Failures + 1, 62);
        var jittered = ceiling.TotalSeconds * (0.5 + 0.5 * Math.Clamp(_random(), 0, 1));
        return TimeSpan.FromSeconds(Math.Max(min.TotalSeconds, jittered));
    }

    /// <summary>The upper bound of the delay after <paramref name="failures"/> failures.</summary>
    public TimeSpan Ceiling(int failures)
    {
        var seconds = min.TotalSeconds * Math.Pow(2, Math.Min(failures, 62));
        return TimeSpan.FromSeconds(Math.Min(max.TotalSeconds, seconds));
    }

    public void Reset() => Failures = 0;
}
