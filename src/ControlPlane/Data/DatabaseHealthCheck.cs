using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.ControlPlane.Data;

/// <summary>
/// Readiness: the control plane is only useful with its database, so <c>/health</c> (readiness)
/// fails while the database cannot be reached and an orchestrator takes the replica out of
/// rotation; <c>/alive</c> (liveness) does not include it, so nothing restarts a replica for a
/// database outage. The check opens a connection and runs the provider's cheapest query.
/// </summary>
internal sealed class DatabaseHealthCheck(GatewayDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(context.Registration.FailureStatus, "The database cannot be reached.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception's message may name the server; never the connection string's secrets.
            return new HealthCheckResult(context.Registration.FailureStatus, "The database cannot be reached: " + ex.GetType().Name);
        }
    }
}
