namespace Microsoft.Extensions.Hosting;

/// <summary>What a service adds to the shared defaults.</summary>
public sealed class ServiceDefaultsOptions
{
    /// <summary>Extra meters to export (a service's own <c>IMeterFactory</c> meters).</summary>
    public IList<string> Meters { get; } = [];

    /// <summary>Extra activity sources to trace.</summary>
    public IList<string> ActivitySources { get; } = [];

    /// <summary>
    /// Distinct tag sets kept per metric stream for every instrument not in
    /// <see cref="WideInstruments"/>; null keeps OpenTelemetry's default (2,000). OpenTelemetry
    /// allocates a stream's points up front (~100 bytes each, on the large-object heap), so ~60
    /// runtime, Kestrel and service instruments at 2,000 hold ~9 MB although almost all of them
    /// have fewer than ten tag sets. Measurements past the limit are still counted, under the
    /// <c>otel.metric.overflow</c> tag. Overridden by configuration <c>Metrics:CardinalityLimit</c>.
    /// </summary>
    public int? CardinalityLimit { get; set; }

    /// <summary>Instruments whose tags can take many values (model versions, routes, upstream addresses): they keep OpenTelemetry's default limit.</summary>
    public ISet<string> WideInstruments { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "http.server.request.duration",
        "http.client.request.duration",
    };

    /// <summary>
    /// ASP.NET Core's and HttpClient's per-request instruments (<c>http.server.*</c>,
    /// <c>http.client.*</c>); without them Kestrel's connection instruments are still exported.
    /// The proxy turns them off: its own request instruments count every gateway request with
    /// richer tags, and the framework's cost ~5 % of the CPU per request. Overridden by
    /// configuration <c>Metrics:FrameworkRequestMetrics</c>.
    /// </summary>
    public bool FrameworkRequestMetrics { get; set; } = true;

    /// <summary>Expose a Prometheus scrape endpoint at <c>/metrics</c>.</summary>
    public bool PrometheusEndpoint { get; set; }

    /// <summary>
    /// Add the standard resilience handler (retries, circuit breaker) to every <c>HttpClient</c>.
    /// The proxy turns this off: it has its own routing policy and must not retry a stream.
    /// </summary>
    public bool ResilientHttpClients { get; set; } = true;
}
