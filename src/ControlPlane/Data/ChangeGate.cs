using Gateway.ControlPlane.Features.Audit;

namespace Gateway.ControlPlane.Data;

/// <summary>
/// How the request's changes commit when change control holds them for a second platform admin
/// (<c>Features/ChangeControl</c>), set on the request's <see cref="GatewayDbContext"/> around the
/// handler: a <b>rehearsal</b> saves the handler's changes inside a transaction that is rolled
/// back, keeping the audit events it would write; an <b>approval</b> commits them for real, with
/// what <see cref="BeforeCommit"/> adds (the decision and its audit event) in the same transaction.
/// </summary>
internal sealed class ChangeGate
{
    private ChangeGate(Func<ChangeSet, CancellationToken, Task>? beforeCommit) => BeforeCommit = beforeCommit;

    /// <summary>Saves, keeps the audit events, rolls back.</summary>
    public static ChangeGate Rehearsal() => new(null);

    /// <summary>Commits, after <paramref name="beforeCommit"/> has run inside the change's transaction.</summary>
    public static ChangeGate Approval(Func<ChangeSet, CancellationToken, Task> beforeCommit) => new(beforeCommit);

    public bool Rehearsing => BeforeCommit is null;

    public Func<ChangeSet, CancellationToken, Task>? BeforeCommit { get; }

    /// <summary>A change reached its commit (rehearsed or applied).</summary>
    public bool Committed { get; set; }

    /// <summary>The audit events a rehearsal would have written.</summary>
    public List<AuditEvent> Rehearsed { get; } = [];
}
