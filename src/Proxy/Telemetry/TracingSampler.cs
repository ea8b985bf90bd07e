using OpenTelemetry.Trace;

namespace Gateway.Proxy.Telemetry;

/// <summary>
/// Spans are recorded only when something collects them. With no OTLP endpoint and no
/// <c>OTEL_TRACES_SAMPLER</c> configured, the OpenTelemetry tracer samples nothing, so a request
/// creates no ASP.NET Core, HttpClient or gateway span that no exporter would ever read (measured:
/// about a fifth of the proxy's CPU per request, docs/benchmarks.md). Metrics are unaffected, and
/// an <see cref="System.Diagnostics.ActivityListener"/> of its own still sees every span.
/// </summary>
internal static class TracingSampler
{
    public static WebApplicationBuilder SampleNothingWithoutExporter(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
            && string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"])
            && string.IsNullOrWhiteSpace(configuration["OTEL_TRACES_SAMPLER"]))
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(new AlwaysOffSampler()));
        }
        return builder;
    }
}
