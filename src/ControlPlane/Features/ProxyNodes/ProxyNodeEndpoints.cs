using Gateway.Contracts.Admin;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.Snapshots;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gateway.ControlPlane.Features.ProxyNodes;

/// <summary><c>/api/proxies</c> and <c>/api/snapshot</c> (platform admins); <c>/snapshot/public-key</c> (anyone: it is public).</summary>
internal static class ProxyNodeEndpoints
{
    private static readonly SortMap<ProxyNode> Sorts = new SortMap<ProxyNode>("nodeId", p => p.NodeId)
        .Add("nodeId", p => p.NodeId).Add("lastSeenAt", p => p.LastSeenAt).Add("appliedRevision", p => p.AppliedRevision);

    public static void MapProxyNodeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/proxies", ListAsync).WithTags("Proxies").RequireAuthorization(Policies.Admin);
        app.MapGet("/api/snapshot", GetSnapshot).WithTags("Proxies").RequireAuthorization(Policies.Admin);
        app.MapGet("/snapshot/public-key", (SnapshotSigner signer) => TypedResults.Text(signer.PublicKeyPem, "application/x-pem-file"))
            .WithTags("Proxies").AllowAnonymous();
    }

    private static async Task<Results<Ok<PagedResult<ProxyNodeDto>>, ValidationProblem>> ListAsync(
        [AsParameters] ProxyNodeQuery q, GatewayDbContext db, SnapshotHub hub, TimeProvider time, IOptions<SnapshotOptions> options, CancellationToken ct)
    {
        var v = new Validation();
        var page = PageRequest.From(q.Page, q.PageSize, q.Sort, q.Order, Sorts, v);
        if (v.Failed) return v.Problem();
        var liveSince = time.GetUtcNow().AddSeconds(-options.Value.LiveWindowSeconds);
        var query = db.ProxyNodes.AsQueryable();
        if (q.LiveOnly == true) query = query.Where(p => p.LastSeenAt > liveSince);
        var revision = hub.Current?.Revision ?? 0;
        return TypedResults.Ok(await query.ToPageAsync(page, Sorts, p => new ProxyNodeDto(
            p.NodeId, p.HostName, p.Version, p.AppliedRevision, p.PendingUsageRecords, p.FirstSeenAt, p.LastSeenAt,
            p.LastSeenAt > liveSince, p.AppliedRevision >= revision), ct));
    }

    private static Results<Ok<SnapshotInfoDto>, ProblemHttpResult> GetSnapshot(SnapshotHub hub, SnapshotSigner signer)
    {
        if (hub.Current is not { } s) return TypedResults.Problem(title: "No snapshot published yet", statusCode: StatusCodes.Status503ServiceUnavailable);
        var snap = s.Snapshot;
        return TypedResults.Ok(new SnapshotInfoDto(s.Revision, s.IssuedAt, signer.KeyId, signer.PublicKeyPem, s.PayloadBytes,
            snap.Providers.Count, snap.Models.Count, snap.Teams.Count, snap.Subscriptions.Count, snap.Keys.Count, snap.LiveProxies));
    }
}
