using Gateway.Proxy.ControlPlane;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.Admission;
using Gateway.Proxy.Policies.Authentication;
using Gateway.Proxy.Policies.ContentGuard;
using Gateway.Proxy.Policies.Metering;
using Gateway.Proxy.Policies.ModelResolution;
using Gateway.Proxy.Policies.Routing;

namespace Gateway.Proxy.Hosting;

/// <summary>
/// Builds the proxy: used by <c>Program.cs</c> and by tests and benchmarks that start it
/// in-process (on port 0, with their own configuration, through <paramref name="configure"/>,
/// which runs after the proxy's own registrations so it can replace services).
/// <paramref name="appendPolicies"/> adds middleware at the end of the gateway pipeline, after
/// routing (where metering sits), for tests of the pipeline's seams.
/// </summary>
internal static class ProxyApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<IApplicationBuilder>? appendPolicies = null)
    {
        // Configuration is read once, at start: what changes at run time arrives in the snapshot.
        // With the host's default reload on change, a recursive watcher on the content root (the
        // working directory) followed every file under it, the spool's and ledger's writes among
        // them when the data directory sits below it (1,911 inotify watches when run from the
        // repository). Arguments after this one still override it.
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        builder.AddProxy();
        configure?.Invoke(builder);
        // Registered after the caller's configuration: whether the control plane feeds this proxy
        // depends on settings that tests add in configure; its services use TryAdd, so replaced
        // services stay replaced.
        builder.Services.AddControlPlaneLink(builder.Configuration);

        var app = builder.Build();
        app.UseGatewayRequestId();
        app.UseManagementPort();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.MapDefaultEndpoints();

        // The request path, in order (ARCHITECTURE.md).
        app.MapGateway(pipeline =>
        {
            pipeline.UseGatewayAuthentication();
            pipeline.UseModelResolution();
            pipeline.UseContentGuard();
            pipeline.UseAdmission();
            pipeline.UseGatewayRouting();
            pipeline.UseMetering();
            appendPolicies?.Invoke(pipeline);
        });
        return app;
    }
}
