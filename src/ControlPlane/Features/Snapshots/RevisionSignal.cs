namespace Gateway.ControlPlane.Features.Snapshots;

/// <summary>
/// Wakes this replica's <see cref="SnapshotPublisher"/> when a change that bumps the snapshot
/// revision commits here, so it is compiled and pushed at once instead of at the next poll. Other
/// replicas still find the new revision by polling (<see cref="SnapshotOptions.PollMilliseconds"/>).
/// </summary>
internal sealed class RevisionSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>; take it before looking at the revision, so a change committed meanwhile is not missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>A revision-bumping change has committed.</summary>
    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
