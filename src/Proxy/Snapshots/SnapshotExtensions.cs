using Gateway.Proxy.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Snapshots;

internal static class SnapshotExtensions
{
    /// <summary>
    /// The snapshot store and its sources: <c>Proxy:Snapshot:File</c> when set, else the default
    /// run's demo catalog when <c>Proxy:DefaultRun:Enabled</c>; other <see cref="ISnapshotSource"/>s
    /// registered in DI join them. The last-known-good copy backs them all.
    /// </summary>
    public static IServiceCollection AddSnapshots(this IServiceCollection services)
    {
        services.TryAddSingleton<CredentialResolver>();
        services.TryAddSingleton<SnapshotCompiler>();
        services.TryAddSingleton<SnapshotStore>();
        services.TryAddSingleton<LastKnownGood>();
        services.TryAddSingleton(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<ProxyOptions>>().Value;
            var sources = new List<ISnapshotSource>(sp.GetServices<ISnapshotSource>());
            if (!string.IsNullOrWhiteSpace(options.Snapshot.File)) sources.Insert(0, ActivatorUtilities.CreateInstance<FileSnapshotSource>(sp));
            else if (options.DefaultRun.Enabled && sources.Count == 0) sources.Add(ActivatorUtilities.CreateInstance<DemoSnapshotSource>(sp));
            return new SnapshotSources(sources);
        });
        services.AddHostedService<SnapshotBootstrapper>();
        services.AddHealthChecks().AddCheck<SnapshotHealthCheck>("snapshot");
        return services;
    }
}

/// <summary>The sources in force for this process.</summary>
internal sealed record SnapshotSources(IReadOnlyList<ISnapshotSource> All);
