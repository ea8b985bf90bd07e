using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Counters.Redis;

/// <summary>Runs <see cref="RedisAdmissionCounters.MaintainAsync"/> every probe interval (recovery, replay, lease renewal).</summary>
internal sealed class RedisCountersMaintenance(RedisAdmissionCounters counters, IOptions<CountersOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.Redis.ProbeIntervalMilliseconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await counters.MaintainAsync();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Hand back what is queued if Redis answers now (a graceful stop during an outage keeps nothing else).
        if (counters.PendingOperations > 0) await counters.MaintainAsync();
    }
}
