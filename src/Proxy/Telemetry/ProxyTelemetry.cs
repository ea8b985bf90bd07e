using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gateway.Proxy.Telemetry;

/// <summary>The proxy's activity source and request-level metrics (OpenTelemetry GenAI names where they exist).</summary>
internal sealed class ProxyTelemetry
{
    public const string Name = "Gateway.Proxy";

    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>
    /// Tag sets kept per metric stream of every instrument but <see cref="WideInstruments"/>
    /// (the runtime's, Kestrel's and the proxy's own state gauges have a handful each);
    /// <c>Metrics:CardinalityLimit</c> overrides it. Saves ~9 MB of resident memory (docs/benchmarks.md, F4).
    /// </summary>
    public const int CardinalityLimit = 100;

    /// <summary>The request-level instruments, tagged by operation, model version, status and reason: OpenTelemetry's default limit (2,000).</summary>
    public static readonly string[] WideInstruments = ["gateway.proxy.requests", "gateway.proxy.request.duration", "gen_ai.server.time_to_first_token"];

    private static readonly object[] StatusCodes = [.. Enumerable.Range(0, 600).Select(static code => (object)code)];

    private static readonly object True = true;

    private static readonly object False = false;

    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    public ProxyTelemetry(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(Name);
        Requests = Meter.CreateCounter<long>("gateway.proxy.requests", "{request}", "Gateway requests by operation, model version, status and reason");
        Duration = Meter.CreateHistogram("gateway.proxy.request.duration", "s", "Time from arrival to the last response byte",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        TimeToFirstToken = Meter.CreateHistogram("gen_ai.server.time_to_first_token", "s", "Time from arrival to the first response byte",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    }

    public Meter Meter { get; }

    public Counter<long> Requests { get; }

    public Histogram<double> Duration { get; }

    public Histogram<double> TimeToFirstToken { get; }

    /// <summary>An HTTP status as a tag value, boxed once for all requests (100–599), not once per request.</summary>
    public static object StatusTag(int status) => (uint)status < (uint)StatusCodes.Length ? StatusCodes[status] : status;

    /// <summary>A flag as a tag value, boxed once.</summary>
    public static object FlagTag(bool value) => value ? True : False;
}
