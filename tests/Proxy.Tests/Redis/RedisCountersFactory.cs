using Gateway.Proxy.Counters;
using Gateway.Proxy.Counters.Redis;
using Gateway.Proxy.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Tests.Redis;

/// <summary>Builds <see cref="RedisAdmissionCounters"/> as the proxy does, for tests; disposes every connection it made.</summary>
internal sealed class RedisCountersFactory : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public IServiceProvider Services => _services;

    public static CountersOptions Options(string configuration, string prefix, Action<RedisCountersOptions>? configure = null)
    {
        var options = new CountersOptions
        {
            Store = CounterStore.Redis,
            Redis = new RedisCountersOptions { Configuration = configuration, KeyPrefix = prefix, TimeoutMilliseconds = 1000, ConnectTimeoutMilliseconds = 1000, ProbeIntervalMilliseconds = 100 },
        };
        configure?.Invoke(options.Redis);
        return options;
    }

    public RedisAdmissionCounters Create(CountersOptions options, TimeProvider time, Func<int>? liveProxies = null, ILogger<RedisAdmissionCounters>? logger = null, string node = "test-node")
    {
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        var connection = new RedisConnection(wrapped, node);
        _owned.Add(connection);
        var metrics = new RedisCountersMetrics(new ProxyTelemetry(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        return new RedisAdmissionCounters(connection, wrapped, liveProxies ?? (() => 1), node, metrics, time, logger ?? NullLogger<RedisAdmissionCounters>.Instance);
    }

    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
        _services.Dispose();
    }
}
