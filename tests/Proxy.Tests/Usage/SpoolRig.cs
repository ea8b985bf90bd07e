using Gateway.Contracts.Usage;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Telemetry;
using Gateway.Proxy.Usage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Proxy.Tests.Usage;

/// <summary>The usage path alone (channel, spool, shipper, ledger) in a small container over a temporary data directory.</summary>
internal sealed class SpoolRig : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _started;

    public SpoolRig(string? dataDirectory = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("spool-tests-").FullName;
        var values = new Dictionary<string, string?>
        {
            ["Proxy:DataDirectory"] = DataDirectory,
            ["Proxy:Usage:SegmentMaxAgeMs"] = "10",
            ["Proxy:Usage:ShipIntervalMs"] = "10",
        };
        if (settings is not null)
        {
            foreach (var (k, v) in settings) values[k] = v;
        }
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProxyTelemetry>();
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section);
        services.AddUsageLedger();
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
        Spilled = Collect("gateway.proxy.usage.channel_full");
        BadLines = Collect("gateway.proxy.usage.spool.bad_lines");
    }

    /// <summary>Collects one of the proxy's counters from this rig's services (the caller disposes it).</summary>
    public MetricCollector<long> Collect(string instrument) =>
        new(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), ProxyTelemetry.Name, instrument);

    public string DataDirectory { get; }

    public IServiceProvider Services => _services;

    public string SpoolDirectory => Path.Combine(DataDirectory, "spool");

    public MetricCollector<long> Spilled { get; }

    public MetricCollector<long> BadLines { get; }

    public UsageSpool Spool => _services.GetRequiredService<UsageSpool>();

    private IHostedService Pipeline => _services.GetServices<IHostedService>().OfType<UsagePipeline>().Single();

    public async Task StartAsync()
    {
        await Pipeline.StartAsync(TestContext.Current.CancellationToken);
        _started = true;
    }

    public async Task StopAsync()
    {
        if (!_started) return;
        _started = false;
        await Pipeline.StopAsync(TestContext.Current.CancellationToken);
    }

    public static UsageRecord Record(string id, long input = 10, long output = 5) => new()
    {
        RequestId = id,
        Timestamp = DateTimeOffset.UtcNow,
        KeyId = "k",
        TeamId = "t",
        SubscriptionId = "s",
        ModelAlias = "m",
        ModelVersion = "m-1",
        Operation = "chat",
        InputTokens = input,
        OutputTokens = output,
        Cost = 0.000123m,
        Currency = "USD",
        Status = 200,
        Outcome = UsageOutcomes.Completed,
    };

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Spilled.Dispose();
        BadLines.Dispose();
        await _services.DisposeAsync();
    }
}
