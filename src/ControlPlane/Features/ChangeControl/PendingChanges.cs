using System.Diagnostics.Metrics;
using Gateway.Contracts.Admin;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gateway.ControlPlane.Features.ChangeControl;

/// <summary>
/// <c>gateway.changes.pending</c>: how many changes wait for a second platform admin, so that the
/// platform team can be alerted to a change nobody has looked at. Counted in the database (every
/// replica's proposals) when this replica proposes or decides one, and every
/// <see cref="RefreshInterval"/> for the others'; a scrape reads the last count.
/// </summary>
internal sealed partial class PendingChanges : BackgroundService
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<ControlPlaneOptions> _options;
    private readonly ILogger<PendingChanges> _logger;
    private readonly SemaphoreSlim _moved = new(0, 1);
    private long _count;

    public PendingChanges(IServiceScopeFactory scopes, IOptions<ControlPlaneOptions> options, IMeterFactory meterFactory, ILogger<PendingChanges> logger)
    {
        (_scopes, _options, _logger) = (scopes, options, logger);
        meterFactory.Create(ControlPlaneMetrics.MeterName).CreateObservableGauge("gateway.changes.pending", () => Volatile.Read(ref _count), "{change}",
            "Catalog, provider and role changes waiting for a second platform admin");
    }

    /// <summary>A change was proposed or decided here: count again now.</summary>
    public void Moved()
    {
        if (_moved.CurrentCount == 0)
        {
            try
            {
                _moved.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller signalled first: one recount covers both.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Value.ChangeControl.RequireSecondAdmin) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
                Volatile.Write(ref _count, await db.ProposedChanges.LongCountAsync(c => c.Status == ChangeStatus.Pending, stoppingToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                CountFailed(ex); // the database is down: the readiness probe says so; keep the last count
            }
            try
            {
                await _moved.WaitAsync(RefreshInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 530, Level = LogLevel.Warning, Message = "Counting the pending changes failed")]
    private partial void CountFailed(Exception exception);
}
