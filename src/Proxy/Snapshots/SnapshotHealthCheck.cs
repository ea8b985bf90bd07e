using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Proxy.Snapshots;

/// <summary>Ready once a snapshot is in force.</summary>
internal sealed class SnapshotHealthCheck(SnapshotStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.Current is { } current
            ? HealthCheckResult.Healthy($"snapshot revision {current.Revision} from {current.Source}")
            : HealthCheckResult.Unhealthy("no snapshot yet"));
}
