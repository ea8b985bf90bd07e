namespace Gateway.Proxy.Usage;

/// <summary>
/// Starts and stops the usage path in the right order: the spool writer and the shipper start
/// together (segments left by an earlier run ship first); on a graceful stop the spool drains
/// and seals first, then the shipper ships everything sealed, so nothing is left behind.
/// </summary>
internal sealed class UsagePipeline(UsageSpool spool, SpoolShipper shipper) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        spool.Start();
        shipper.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await spool.StopAsync();
        await shipper.StopAsync(cancellationToken);
    }
}
