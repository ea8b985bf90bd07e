using Gateway.Proxy.Counters.Redis;
using Gateway.Proxy.Forwarding;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.Admission;
using Gateway.Proxy.Policies.Authentication;
using Gateway.Proxy.Policies.ContentGuard;
using Gateway.Proxy.Policies.Metering;
using Gateway.Proxy.Policies.ModelResolution;
using Gateway.Proxy.Policies.Routing;
using Gateway.Proxy.Realtime;
using Gateway.Proxy.Relay;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Telemetry;
using Gateway.Proxy.Usage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Proxy.Hosting;

internal static class ProxyServiceExtensions
{
    /// <summary>Everything the data plane needs: options, snapshot store and sources, policies, forwarder and relays.</summary>
    public static WebApplicationBuilder AddProxy(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(o =>
        {
            o.PrometheusEndpoint = true;
            o.ResilientHttpClients = false;
            o.Meters.Add(ProxyTelemetry.Name);
            o.ActivitySources.Add(ProxyTelemetry.Name);
            o.CardinalityLimit = ProxyTelemetry.CardinalityLimit;
            o.FrameworkRequestMetrics = false;
            foreach (var wide in ProxyTelemetry.WideInstruments) o.WideInstruments.Add(wide);
        });
        builder.SampleNothingWithoutExporter();
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);

        var services = builder.Services;
        services.AddOptions<ProxyOptions>()
            .BindConfiguration(ProxyOptions.Section)
            .ValidateWith<ProxyOptionsDataAnnotations, ProxyOptions>()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProxyTelemetry>();
        services.AddHttpForwarder();
        services.AddSnapshots();
        services.AddGatewayAuthentication();
        services.AddModelResolution();
        services.AddContentGuard();
        services.AddCounters();
        services.AddAdmission();
        services.AddGatewayRouting();
        services.AddMetering();
        services.AddUsageLedger();
        services.AddSingleton<UpstreamInvoker>();
        services.AddSingleton<ResponseRelay>();
        services.AddSingleton<ErrorRelay>();
        services.AddSingleton<UpstreamForwarder>();
        services.AddSingleton<RealtimeRelay>();
        services.AddHostedService<IdleMemoryTrimmer>();
        return builder;
    }

    /// <summary>The request id, response headers and last-resort error shape for every request.</summary>
    public static IApplicationBuilder UseGatewayRequestId(this IApplicationBuilder app) =>
        app.UseMiddleware<GatewayRequestMiddleware>();
}
