using System.ComponentModel.DataAnnotations;

namespace Gateway.Proxy.Policies.Routing;

/// <summary>Retries, fail-over and circuit breaking (section <c>Proxy:Routing</c>).</summary>
internal sealed class RoutingOptions
{
    /// <summary>Upstream attempts per request, the first included (fail-over happens only before the first byte reaches the client).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Consecutive failures that open a deployment's circuit.</summary>
    public int BreakerFailureThreshold { get; set; } = 5;

    /// <summary>How long an open circuit stays open before one probe is let through.</summary>
    public double BreakerOpenSeconds { get; set; } = 30;

    internal IEnumerable<ValidationResult> Validate()
    {
        if (MaxAttempts is < 1 or > 10)
            yield return new ValidationResult("Proxy:Routing:MaxAttempts must be between 1 and 10.", ["Routing.MaxAttempts"]);
        if (BreakerFailureThreshold is < 1 or > 1000)
            yield return new ValidationResult("Proxy:Routing:BreakerFailureThreshold must be between 1 and 1000.", ["Routing.BreakerFailureThreshold"]);
        if (BreakerOpenSeconds is < 0.001 or > 86400)
            yield return new ValidationResult("Proxy:Routing:BreakerOpenSeconds must be between 0.001 and 86400.", ["Routing.BreakerOpenSeconds"]);
    }
}
