using Gateway.Contracts.Grpc;
using Gateway.Contracts.Snapshot;

namespace Gateway.ControlPlane.Features.Snapshots;

/// <summary>A compiled, signed revision, ready to stream.</summary>
internal sealed record PublishedSnapshot(long Revision, DateTimeOffset IssuedAt, SignedSnapshot Message, GatewaySnapshot Snapshot, int PayloadBytes);

/// <summary>The latest published snapshot of this replica, and a signal for the watchers when it changes.</summary>
internal sealed class SnapshotHub
{
    private PublishedSnapshot? _current;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PublishedSnapshot? Current => Volatile.Read(ref _current);

    public void Publish(PublishedSnapshot snapshot)
    {
        Volatile.Write(ref _current, snapshot);
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Completes when a revision newer than <paramref name="revision"/> is published.</summary>
    public Task WaitForNewerAsync(long revision, CancellationToken cancellationToken)
    {
        var changed = Volatile.Read(ref _changed);
        return Current is { } current && current.Revision > revision ? Task.CompletedTask : changed.Task.WaitAsync(cancellationToken);
    }
}
