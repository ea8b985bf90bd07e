using Gateway.Proxy.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Usage;

internal static class UsageExtensions
{
    /// <summary>
    /// The usage ledger path: channel → spool → shipper. <c>Proxy:Usage:Shipper</c> = <c>File</c>
    /// ships to the local NDJSON ledger; <c>Grpc</c> uses the <see cref="IUsageShipper"/> registered
    /// under the key <see cref="UsageShipperKeys.Grpc"/> (the control-plane feed adds it).
    /// </summary>
    internal static IServiceCollection AddUsageLedger(this IServiceCollection services)
    {
        services.AddOptions<UsageOptions>()
            .BindConfiguration(UsageOptions.Section)
            .ValidateWith<UsageOptionsDataAnnotations, UsageOptions>()
            .ValidateOnStart();
        services.AddSingleton<UsageMetrics>();
        services.AddSingleton<UsageSpool>();
        services.AddSingleton<NdjsonLedgerShipper>();
        services.AddSingleton<IUsageShipper>(sp => sp.GetRequiredService<IOptions<UsageOptions>>().Value.Shipper switch
        {
            UsageShipperKind.Grpc => sp.GetKeyedService<IUsageShipper>(UsageShipperKeys.Grpc)
                ?? throw new InvalidOperationException("Proxy:Usage:Shipper is Grpc, but no gRPC usage shipper is registered (it comes with the control-plane connection); use File for the local ledger."),
            _ => sp.GetRequiredService<NdjsonLedgerShipper>(),
        });
        services.AddSingleton<SpoolShipper>();
        services.AddHostedService<UsagePipeline>();
        return services;
    }
}
