using System.Diagnostics.Metrics;
using Gateway.Proxy.Telemetry;

namespace Gateway.Proxy.Policies.Routing;

/// <summary>Upstream attempts by outcome, and breaker transitions.</summary>
internal sealed class RoutingMetrics(ProxyTelemetry telemetry)
{
    private readonly Counter<long> _attempts = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.upstream.attempts", "{attempt}", "Upstream attempts by deployment and outcome");

    private readonly Counter<long> _breaker = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.breaker.transitions", "{transition}", "Circuit breaker state changes by deployment");

    public void Attempt(string deployment, string outcome) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("gateway.deployment", deployment), new KeyValuePair<string, object?>("gateway.outcome", outcome));

    public void Breaker(string deployment, string state) =>
        _breaker.Add(1, new KeyValuePair<string, object?>("gateway.deployment", deployment), new KeyValuePair<string, object?>("gateway.breaker.state", state));
}
