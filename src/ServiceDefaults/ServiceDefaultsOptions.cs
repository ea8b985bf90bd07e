namespace Microsoft.Extensions.Hosting;

/// <summary>What a service adds to the shared defaults.</summary>
public sealed class ServiceDefaultsOptions
{
    /// <summary>Extra meters to export (a service's own <c>IMeterFactory</c> meters).</summary>
    public IList<string> Meters { get; } = [];

    /// <summary>Extra activity sources to trace.</summary>
    public IList<string> ActivitySources { get; } = [];

    /// <summary>Expose a Prometheus scrape endpoint at <c>/metrics</c>.</summary>
    public bool PrometheusEndpoint { get; set; }

    /// <summary>
    /// Add the standard resilience handler (retries, circuit breaker) to every <c>HttpClient</c>.
    /// The proxy turns this off: it has its own routing policy and must not retry a stream.
    /// </summary>
    public bool ResilientHttpClients { get; set; } = true;
}
