using System.Text.Json;
using Gateway.ControlPlane.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Data;

/// <summary>
/// One change to the system of record: the tracked entity changes of a handler, the audit
/// events describing them, and (when the change matters to proxies) a bump of the snapshot
/// revision, committed in one transaction. Writers serialise on the counter rows (billing,
/// audit, revision, in that order), so the audit chain and the revision stay strict across
/// replicas; entity row versions turn a lost race into <see cref="DbUpdateConcurrencyException"/> (409).
/// </summary>
internal sealed class ChangeSet(GatewayDbContext db, Actor actor, TimeProvider time)
{
    internal static readonly JsonSerializerOptions AuditJson = new(JsonSerializerDefaults.Web);

    private readonly List<AuditEvent> _events = [];
    private Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? _transaction;

    public Actor Actor => actor;

    /// <summary>The instant of this change (UTC, microseconds).</summary>
    public DateTimeOffset Now { get; } = AuditChain.Truncate(time.GetUtcNow());

    /// <summary>Records what changed: <paramref name="before"/>/<paramref name="after"/> are serialised as JSON (null for none).</summary>
    public void Audit(string action, string targetType, string targetId, object? before, object? after) =>
        Audit(actor, action, targetType, targetId, before, after);

    /// <summary>Records what another actor did in the same change (a second admin's approval of it).</summary>
    public void Audit(Actor by, string action, string targetType, string targetId, object? before, object? after) =>
        _events.Add(new AuditEvent
        {
            Time = Now,
            Actor = by.Id,
            ActorName = by.Name,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            Before = before is null ? null : JsonSerializer.Serialize(before, before.GetType(), AuditJson),
            After = after is null ? null : JsonSerializer.Serialize(after, after.GetType(), AuditJson),
            PreviousHash = "",
            Hash = "",
        });

    /// <summary>
    /// Opens the change's transaction now, for work saved before <see cref="CommitAsync"/> (ASP.NET
    /// Core Identity's managers save at once): it commits with the audit events, or not at all.
    /// </summary>
    public async Task BeginAsync(CancellationToken cancellationToken) =>
        _transaction ??= await db.Database.BeginTransactionAsync(cancellationToken);

    /// <summary>
    /// Opens the change's transaction and takes the billing lock first (usage ingestion, month
    /// close and adjustments): what the handler reads afterwards cannot change under it.
    /// </summary>
    public async Task LockBillingAsync(CancellationToken cancellationToken)
    {
        _transaction ??= await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockCounterAsync(SystemCounter.Billing, 1, cancellationToken);
    }

    /// <summary>Saves the tracked changes, appends the audit events and bumps the revision when asked, atomically.</summary>
    public async Task CommitAsync(bool bumpsRevision, CancellationToken cancellationToken)
    {
        if (db.Gate is { Rehearsing: true } rehearsal)
        {
            await RehearseAsync(rehearsal, cancellationToken);
            return;
        }
        var transaction = _transaction ?? await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            if (db.Gate?.BeforeCommit is { } beforeCommit) await beforeCommit(this, cancellationToken);
            if (_events.Count > 0) await AppendAuditAsync(cancellationToken);
            if (bumpsRevision) await db.LockCounterAsync(SystemCounter.Revision, 1, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _events.Clear();
            if (db.Gate is { } gate) gate.Committed = true;
            if (bumpsRevision) db.RevisionCommitted();
        }
        finally
        {
            await transaction.DisposeAsync();
            _transaction = null;
        }
    }

    /// <summary>
    /// Saves the tracked changes inside the transaction (so that the database's own checks run:
    /// keys, uniqueness, row versions) and rolls it back; keeps the audit events for the proposal.
    /// No counter row is touched, so a rehearsal never holds up other writers.
    /// </summary>
    private async Task RehearseAsync(ChangeGate gate, CancellationToken cancellationToken)
    {
        var transaction = _transaction ?? await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            gate.Rehearsed.AddRange(_events);
            gate.Committed = true;
            _events.Clear();
        }
        finally
        {
            await transaction.DisposeAsync(); // never committed: rolled back
            _transaction = null;
        }
    }

    private async Task AppendAuditAsync(CancellationToken cancellationToken)
    {
        // Taking the head row's lock first: no other writer can append until we commit.
        await db.LockCounterAsync(SystemCounter.Audit, _events.Count, cancellationToken);
        var head = await db.SystemCounters.AsNoTracking().SingleAsync(c => c.Name == SystemCounter.Audit, cancellationToken);
        var sequence = head.Value - _events.Count;
        var previous = head.Text;
        foreach (var e in _events)
        {
            e.Sequence = ++sequence;
            e.PreviousHash = previous;
            e.Hash = AuditChain.ComputeHash(e);
            previous = e.Hash;
            db.AuditEvents.Add(e);
        }
        await db.SystemCounters.Where(c => c.Name == SystemCounter.Audit)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Text, previous), cancellationToken);
    }
}

internal static class CounterExtensions
{
    /// <summary>Adds <paramref name="delta"/> to a counter row, which also locks it until the transaction ends.</summary>
    public static Task<int> LockCounterAsync(this GatewayDbContext db, string name, long delta, CancellationToken cancellationToken) =>
        db.SystemCounters.Where(c => c.Name == name)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, c => c.Value + delta), cancellationToken);

    public static Task<long> ReadCounterAsync(this GatewayDbContext db, string name, CancellationToken cancellationToken) =>
        db.SystemCounters.AsNoTracking().Where(c => c.Name == name).Select(c => c.Value).SingleAsync(cancellationToken);

    public static ChangeSet BeginChange(this GatewayDbContext db, Actor actor, TimeProvider time) => new(db, actor, time);
}
