using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The Aspire service defaults shared by every service: OpenTelemetry, health endpoints,
/// service discovery and HTTP resilience. Each service calls <c>builder.AddServiceDefaults()</c>
/// and <c>app.MapDefaultEndpoints()</c>.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Path of the readiness endpoint: every health check must pass.</summary>
    public const string HealthPath = "/health";

    /// <summary>Path of the liveness endpoint: only checks tagged "live" run.</summary>
    public const string AlivePath = "/alive";

    /// <summary>Adds telemetry, default health checks, service discovery and resilient HTTP clients.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, Action<ServiceDefaultsOptions>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        var options = new ServiceDefaultsOptions();
        configure?.Invoke(options);

        builder.ConfigureOpenTelemetry(options);
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddServiceDiscovery();
        if (options.ResilientHttpClients)
        {
            builder.Services.ConfigureHttpClientDefaults(http =>
            {
                http.AddStandardResilienceHandler();
                http.AddServiceDiscovery();
            });
        }

        // No "Server: Kestrel" on any answer: what a service runs on is nobody's business outside it.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddSingleton(new ServiceDefaultsMarker(options.PrometheusEndpoint));
        builder.Services.AddHostedService<ListeningAddressLogger>();
        return builder;
    }

    private static void ConfigureOpenTelemetry<TBuilder>(this TBuilder builder, ServiceDefaultsOptions options)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                var requestMetrics = bool.TryParse(builder.Configuration["Metrics:FrameworkRequestMetrics"], out var configuredRequests)
                    ? configuredRequests
                    : options.FrameworkRequestMetrics;
                if (requestMetrics)
                {
                    metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                }
                else
                {
                    metrics.AddMeter("Microsoft.AspNetCore.Server.Kestrel");
                }
                metrics.AddRuntimeInstrumentation();
                foreach (var meter in options.Meters)
                {
                    metrics.AddMeter(meter);
                }
                var limit = int.TryParse(builder.Configuration["Metrics:CardinalityLimit"], out var configured) ? configured : options.CardinalityLimit;
                if (limit is > 0)
                {
                    var narrow = new MetricStreamConfiguration { CardinalityLimit = limit.Value };
                    metrics.AddView(instrument => options.WideInstruments.Contains(instrument.Name) ? null : narrow);
                }
                if (options.PrometheusEndpoint)
                {
                    metrics.AddPrometheusExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(builder.Environment.ApplicationName)
                    .AddAspNetCoreInstrumentation(o =>
                        o.Filter = ctx => !IsHealthPath(ctx.Request.Path))
                    .AddHttpClientInstrumentation();
                foreach (var source in options.ActivitySources)
                {
                    tracing.AddSource(source);
                }
            });

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
    }

    private static bool IsHealthPath(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments(HealthPath) || path.StartsWithSegments(AlivePath) || path.StartsWithSegments("/metrics");

    /// <summary>
    /// Maps <c>/health</c> (every check) and <c>/alive</c> (liveness checks only), and
    /// <c>/metrics</c> when the Prometheus endpoint was asked for. They answer in every
    /// environment: orchestrators probe production too.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath);
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        if (app.Services.GetService<ServiceDefaultsMarker>() is { Prometheus: true })
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
        }
        return app;
    }

    internal sealed record ServiceDefaultsMarker(bool Prometheus);
}
