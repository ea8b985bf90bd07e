using Gateway.Proxy.Hosting;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Snapshots.Grpc;
using Gateway.Proxy.Usage;
using Gateway.Proxy.Usage.Grpc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.ControlPlane;

internal static class ControlPlaneExtensions
{

    /// <summary>
    /// The link to the control plane, when <c>Proxy:ControlPlane:GrpcUrl</c> is set: the gRPC
    /// snapshot feed as the one snapshot source, heartbeats, and the gRPC usage shipper. The
    /// options are bound and validated either way (a half-configured link stops the start).
    /// </summary>
    public static IServiceCollection AddControlPlaneLink(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ControlPlaneOptions>()
            .BindConfiguration(ControlPlaneOptions.Section)
            .ValidateWith<ControlPlaneOptionsDataAnnotations, ControlPlaneOptions>()
            .ValidateWith<ControlPlaneOptionsValidator, ControlPlaneOptions>()
            .ValidateOnStart();
        if (string.IsNullOrWhiteSpace(configuration[$"{ControlPlaneOptions.Section}:{nameof(ControlPlaneOptions.GrpcUrl)}"])) return services;

        services.AddHttpClient(ControlPlaneTokenClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
        services.TryAddSingleton<ControlPlaneTokenClient>();
        services.TryAddSingleton<ControlPlaneChannel>();
        services.TryAddSingleton<ControlPlaneStatus>();
        services.TryAddSingleton<ControlPlaneMetrics>();
        services.TryAddSingleton<SnapshotKeyProvider>();
        services.TryAddSingleton<ControlPlaneSnapshotSource>();
        services.AddSingleton<ISnapshotSource>(sp => sp.GetRequiredService<ControlPlaneSnapshotSource>());
        services.AddHostedService<HeartbeatService>();
        services.TryAddSingleton<GrpcUsageShipper>();
        // The usage spool picks its shipper by Proxy:Usage:Shipper (Grpc: this one).
        services.TryAddKeyedSingleton<IUsageShipper>(UsageShipperKeys.Grpc, (sp, _) =>
            sp.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.LocalLedgerCopy
                ? ActivatorUtilities.CreateInstance<LocalCopyUsageShipper>(sp)
                : sp.GetRequiredService<GrpcUsageShipper>());
        return services;
    }
}
