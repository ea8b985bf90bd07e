using Gateway.Contracts.Snapshot;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// The proxy's one source of truth. Sources (<see cref="ISnapshotSource"/>: a file, the demo
/// catalog, the last-known-good copy, later the control plane's gRPC feed) push snapshots into
/// <see cref="TryApply"/>; a snapshot is validated, checked for a monotonic revision per source
/// kind, compiled, and published with one volatile write. A rejected snapshot leaves the current
/// one in force. The hot path reads <see cref="Current"/> once per request.
/// </summary>
internal sealed partial class SnapshotStore(SnapshotCompiler compiler, ILogger<SnapshotStore> logger, TimeProvider time)
{
    private readonly Lock _applyLock = new();
    private readonly Dictionary<string, long> _revisionBySource = new(StringComparer.Ordinal);
    private CompiledSnapshot? _current;

    /// <summary>The snapshot in force, or null before the first one was accepted.</summary>
    public CompiledSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>When the current snapshot was applied.</summary>
    public DateTimeOffset? AppliedAt { get; private set; }

    /// <summary>Raised (outside the lock) after a snapshot was accepted.</summary>
    public event Action<CompiledSnapshot>? Applied;

    /// <summary>
    /// Validates, compiles and swaps in <paramref name="snapshot"/>. False, with the reasons in
    /// <paramref name="errors"/> (each naming the bad field's JSON path), when it was refused.
    /// </summary>
    public bool TryApply(GatewaySnapshot snapshot, string source, out IReadOnlyList<SnapshotValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentException.ThrowIfNullOrEmpty(source);
        CompiledSnapshot compiled;
        lock (_applyLock)
        {
            errors = SnapshotValidator.Validate(snapshot);
            if (errors.Count > 0)
            {
                foreach (var error in errors) LogInvalidField(source, snapshot.Revision, error.Path, error.Message);
                LogRejected(source, snapshot.Revision, errors.Count);
                return false;
            }
            if (_revisionBySource.TryGetValue(source, out var last) && snapshot.Revision < last)
            {
                errors = [new SnapshotValidationError("revision", $"revision {snapshot.Revision} is lower than {last}, already applied from '{source}'")];
                LogStaleRevision(source, snapshot.Revision, last);
                return false;
            }
            compiled = compiler.Compile(snapshot, source);
            _revisionBySource[source] = snapshot.Revision;
            Volatile.Write(ref _current, compiled);
            AppliedAt = time.GetUtcNow();
        }
        LogApplied(source, snapshot.Revision, snapshot.Keys.Count, snapshot.Models.Count);
        Applied?.Invoke(compiled);
        return true;
    }

    /// <summary>Reports a source that could not even produce a snapshot (unreadable file, bad JSON).</summary>
    public void ReportUnreadable(string source, string reason) => LogUnreadable(source, reason);
}
