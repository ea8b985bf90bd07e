using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Counters.Redis;

/// <summary>
/// With the Redis store, runs <see cref="RedisAdmissionCounters.MaintainAsync"/> every probe
/// interval (recovery, replay, lease renewal), after connecting them at the start; with the
/// in-process store it does nothing.
/// </summary>
internal sealed class RedisCountersMaintenance(IServiceProvider services, IOptions<CountersOptions> options, TimeProvider time) : BackgroundService
{
    private RedisAdmissionCounters? _counters;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Store == CounterStore.Redis)
        {
            _counters = services.GetRequiredService<RedisAdmissionCounters>();
            await _counters.StartAsync();
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_counters is null) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.Redis.ProbeIntervalMilliseconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await _counters.MaintainAsync();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Hand back what is queued if Redis answers now (a graceful stop during an outage keeps nothing else).
        if (_counters is { PendingOperations: > 0 }) await _counters.MaintainAsync();
    }
}
