using System.Data;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gateway.ControlPlane.Features.Snapshots;

/// <summary>
/// Each replica polls the revision counter (a cheap one-row read) and, when it moved, compiles,
/// validates, signs and publishes the new revision to its watchers. A change committed on this
/// replica wakes it at once (<see cref="RevisionSignal"/>); changes made on other replicas are
/// found at the next poll. It also bumps the revision
/// when the number of live proxies changes or the ledger grew since the last usage refresh, so a
/// proxy's limits and settled usage follow without any admin change.
/// </summary>
internal sealed partial class SnapshotPublisher(
    IServiceScopeFactory scopes, SnapshotHub hub, SnapshotSigner signer, RevisionSignal signal, TimeProvider time,
    IOptions<SnapshotOptions> options, ControlPlaneMetrics metrics, ILogger<SnapshotPublisher> logger) : BackgroundService
{
    private DateTimeOffset _lastUsageCheck = DateTimeOffset.MinValue;
    private long _failedRevision = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.PollMilliseconds), time);
        Task<bool>? tick = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before the poll: a change that commits during it wakes the next one at once.
            var changed = signal.Next;
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(logger, e);
            }
            // The next poll comes at the timer's tick or as soon as a change commits on this replica.
            tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
            if (await Task.WhenAny(tick, changed) != tick) continue;
            try
            {
                if (!await tick) return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            tick = null;
        }
    }

    /// <summary>One poll: publish a new revision if there is one. Public for tests.</summary>
    internal async Task PollAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var now = time.GetUtcNow();
        var revision = await db.ReadCounterAsync(SystemCounter.Revision, cancellationToken);
        var live = await db.ProxyNodes.CountAsync(p => p.LastSeenAt > now.AddSeconds(-options.Value.LiveWindowSeconds), cancellationToken);
        var current = hub.Current;

        if (current is null || revision > current.Revision)
        {
            if (revision == _failedRevision) return;
            var snapshot = await CompileConsistentAsync(db, revision, live, now, cancellationToken);
            revision = snapshot.Revision;
            var errors = SnapshotValidator.Validate(snapshot);
            if (errors.Count > 0)
            {
                _failedRevision = revision;
                LogInvalid(logger, revision, string.Join("; ", errors.Take(10)));
                return;
            }
            var json = SnapshotJson.SerializeToUtf8Bytes(snapshot);
            hub.Publish(new PublishedSnapshot(revision, now, signer.Sign(revision, json), snapshot, json.Length));
            metrics.SnapshotPublished();
            LogPublished(logger, revision, json.Length, snapshot.Keys.Count);
            return;
        }

        if (Math.Max(1, live) != current.Snapshot.LiveProxies)
        {
            await db.LockCounterAsync(SystemCounter.Revision, 1, cancellationToken);
            return;
        }

        if (now - _lastUsageCheck >= TimeSpan.FromSeconds(options.Value.UsageRefreshSeconds))
        {
            _lastUsageCheck = now;
            var maxId = await db.UsageEntries.MaxAsync(u => (long?)u.Id, cancellationToken) ?? 0;
            var moved = await db.SystemCounters.Where(c => c.Name == SystemCounter.UsageMark && c.Value < maxId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, maxId), cancellationToken);
            if (moved > 0) await db.LockCounterAsync(SystemCounter.Revision, 1, cancellationToken);
        }
    }

    /// <summary>
    /// Compiles the configuration exactly as of one revision, so that one revision means one
    /// configuration whichever replica compiled it. PostgreSQL: the counter and every table are
    /// read in one REPEATABLE READ transaction (one MVCC snapshot, no locks). Elsewhere: compile,
    /// then re-read the counter; when a change committed meanwhile (every change bumps it in its
    /// own transaction) compile again under the newer number, up to three times (under constant
    /// churn the third is published: its content is at least its revision).
    /// </summary>
    private static async Task<GatewaySnapshot> CompileConsistentAsync(GatewayDbContext db, long revision, int live, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            var consistent = await db.ReadCounterAsync(SystemCounter.Revision, cancellationToken);
            var compiled = await SnapshotCompiler.CompileAsync(db, consistent, live, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return compiled;
        }
        var snapshot = await SnapshotCompiler.CompileAsync(db, revision, live, now, cancellationToken);
        for (var attempt = 1; attempt < 3; attempt++)
        {
            var after = await db.ReadCounterAsync(SystemCounter.Revision, cancellationToken);
            if (after == revision) break;
            revision = after;
            snapshot = await SnapshotCompiler.CompileAsync(db, revision, live, now, cancellationToken);
        }
        return snapshot;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Published snapshot revision {Revision} ({Bytes} bytes, {Keys} keys)")]
    private static partial void LogPublished(ILogger logger, long revision, int bytes, int keys);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Snapshot revision {Revision} is invalid and was not published (proxies keep the last good one): {Errors}")]
    private static partial void LogInvalid(ILogger logger, long revision, string errors);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Snapshot poll failed; retrying on the next tick")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
