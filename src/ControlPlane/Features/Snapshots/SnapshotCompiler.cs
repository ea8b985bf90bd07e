using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.Catalog;
using Gateway.ControlPlane.Features.Teams;
using Gateway.ControlPlane.Features.Usage;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.Snapshots;

/// <summary>
/// Compiles the database into a <see cref="GatewaySnapshot"/>: providers, the catalog, teams,
/// active subscriptions with the month's settled usage, and the keys that still work (revoked
/// and expired keys are left out, so a proxy refuses them).
/// </summary>
internal static class SnapshotCompiler
{
    /// <remarks>
    /// The caller reads <paramref name="revision"/> before calling: every change commits its
    /// state and its revision bump together, so reading state after the revision sees at least
    /// that revision's state.
    /// </remarks>
    public static async Task<GatewaySnapshot> CompileAsync(GatewayDbContext db, long revision, int liveProxies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var providers = await db.Providers.AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var models = await db.Models.AsNoTracking().Include(m => m.Versions).ThenInclude(v => v.Deployments).AsSplitQuery()
            .OrderBy(m => m.SortOrder).ThenBy(m => m.Alias).ToListAsync(cancellationToken);
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Id).ToListAsync(cancellationToken);
        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => s.Status == SubscriptionStatus.Active)
            .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().Include(k => k.Subscriptions)
            .Where(k => k.Status == KeyStatus.Active && k.ExpiresAt > now).OrderBy(k => k.KeyId).ToListAsync(cancellationToken);
        var usage = await PeriodUsage.ForSubscriptionsAsync(db, null, now, cancellationToken);

        var active = subscriptions.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var byTeam = subscriptions.ToLookup(s => s.TeamId, s => s.Id, StringComparer.Ordinal);
        return new GatewaySnapshot
        {
            Revision = revision,
            IssuedAt = now,
            LiveProxies = Math.Max(1, liveProxies),
            Providers = [.. providers.Select(p => new ProviderSpec(p.Id, p.Kind, p.BaseUrl, p.CredentialRef)
            {
                ApiVersion = p.ApiVersion, ConnectTimeoutSeconds = p.ConnectTimeoutSeconds,
                FirstByteTimeoutSeconds = p.FirstByteTimeoutSeconds, StreamIdleTimeoutSeconds = p.StreamIdleTimeoutSeconds,
                Suspended = p.SuspendedAt is not null,
            })],
            Models = [.. models.Select(CatalogMapping.ToSpec)],
            Teams = [.. teams.Select(t => new TeamSpec(t.Id, t.Name, t.CostCentre) { Limits = TeamEndpoints.Limits(t.RequestsPerMinute, t.TokensPerMinute, t.MaxConcurrent) })],
            Subscriptions = [.. subscriptions.Select(s => new SubscriptionSpec(s.Id, s.TeamId, s.ModelAlias)
            {
                PinnedVersion = s.PinnedVersion,
                Limits = TeamEndpoints.Limits(s.RequestsPerMinute, s.TokensPerMinute, s.MaxConcurrent),
                Budget = AccessRequests.AccessRequestEndpoints.Budget(s.MonthlyTokens, s.MonthlyAmount, s.Currency),
                OverLimit = s.OverLimit,
                MaxOutputTokens = s.MaxOutputTokens,
                EndsAt = s.EndsAt,
                Usage = usage.GetValueOrDefault(s.Id),
            })],
            Keys = [.. keys.Select(k => new ApiKeySpec(k.KeyId, k.Hash, k.TeamId, k.Application, k.ExpiresAt,
                k.AllSubscriptions
                    ? [.. byTeam[k.TeamId]]
                    : [.. k.Subscriptions.Select(s => s.SubscriptionId).Where(active.Contains).Order(StringComparer.Ordinal)])
            {
                Status = k.Status,
                Limits = TeamEndpoints.Limits(k.RequestsPerMinute, k.TokensPerMinute, k.MaxConcurrent),
                AllowedNetworks = ApiKeys.ApiKeyEndpoints.Networks(k),
            })],
        };
    }
}
