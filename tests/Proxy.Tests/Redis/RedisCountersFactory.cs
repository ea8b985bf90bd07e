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

    /// <summary>
    /// Options for a test. The timeouts are generous (10 s) because these tests are about what the
    /// counters do with Redis up or gone, not about its speed: on CI's two busy cores a connect or a
    /// script load has taken more than 1 s, and the counters then (rightly) started on the fallback.
    /// An outage is still seen at once: a killed server resets the connection, a free port refuses it.
    /// </summary>
    public static CountersOptions Options(string configuration, string prefix, Action<RedisCountersOptions>? configure = null)
    {
        var options = new CountersOptions
        {
            Store = CounterStore.Redis,
            Redis = new RedisCountersOptions { Configuration = configuration, KeyPrefix = prefix, TimeoutMilliseconds = 10_000, ConnectTimeoutMilliseconds = 10_000, ProbeIntervalMilliseconds = 100 },
        };
        configure?.Invoke(options.Redis);
        return options;
    }

    /// <summary>Options for a Redis that is not there (a free port): a short connect timeout, since nothing will answer.</summary>
    public static CountersOptions Nowhere(string prefix, Action<RedisCountersOptions>? configure = null) =>
        Options("127.0.0.1:" + Gateway.Testing.Redis.RedisServer.FreePort(), prefix, o =>
        {
            o.ConnectTimeoutMilliseconds = 500;
            configure?.Invoke(o);
        });

    /// <summary>Counters started as the proxy starts them (<see cref="RedisCountersMaintenance"/>).</summary>
    public async Task<RedisAdmissionCounters> CreateAsync(CountersOptions options, TimeProvider time, Func<int>? liveProxies = null, ILogger<RedisAdmissionCounters>? logger = null, string node = "test-node")
    {
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        var connection = new RedisConnection(wrapped, node);
        _owned.Add(connection);
        var metrics = new RedisCountersMetrics(new ProxyTelemetry(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        var counters = new RedisAdmissionCounters(connection, wrapped, liveProxies ?? (() => 1), node, metrics, time, logger ?? NullLogger<RedisAdmissionCounters>.Instance);
        await counters.StartAsync();
        return counters;
    }

    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
        _services.Dispose();
    }
}
