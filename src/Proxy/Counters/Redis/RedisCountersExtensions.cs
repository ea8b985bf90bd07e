using Gateway.Proxy.Hosting;
using Gateway.Proxy.Snapshots;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Counters.Redis;

internal static class RedisCountersExtensions
{
    /// <summary>
    /// The admission counters named by <c>Proxy:Counters:Store</c>: in-process (default) or Redis
    /// (one multiplexer per process, a maintenance loop for recovery and lease renewal).
    /// </summary>
    public static IServiceCollection AddCounters(this IServiceCollection services)
    {
        services.AddOptions<CountersOptions>()
            .BindConfiguration(CountersOptions.Section)
            .ValidateWith<CountersOptionsDataAnnotations, CountersOptions>()
            .ValidateOnStart();
        services.TryAddSingleton<RedisCountersMetrics>();
        services.TryAddSingleton(sp => new RedisConnection(sp.GetRequiredService<IOptions<CountersOptions>>(), sp.GetRequiredService<IOptions<ProxyOptions>>().Value.NodeId));
        services.TryAddSingleton(sp =>
        {
            var store = sp.GetRequiredService<SnapshotStore>();
            return new RedisAdmissionCounters(
                sp.GetRequiredService<RedisConnection>(),
                sp.GetRequiredService<IOptions<CountersOptions>>(),
                () => store.Current?.Spec.LiveProxies ?? 1,
                sp.GetRequiredService<IOptions<ProxyOptions>>().Value.NodeId,
                sp.GetRequiredService<RedisCountersMetrics>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<RedisAdmissionCounters>>());
        });
        services.TryAddSingleton<IAdmissionCounters>(sp =>
            sp.GetRequiredService<IOptions<CountersOptions>>().Value.Store == CounterStore.Redis
                ? sp.GetRequiredService<RedisAdmissionCounters>()
                : new InProcessCounters(sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<RedisCountersMaintenance>();
        return services;
    }
}
