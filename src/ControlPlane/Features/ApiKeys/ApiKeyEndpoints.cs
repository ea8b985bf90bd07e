using System.Security.Claims;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Keys;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.Teams;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gateway.ControlPlane.Features.ApiKeys;

/// <summary>
/// <c>/api/keys</c>: team members create keys (the key is shown once; only its SHA-256 is stored),
/// rotate them with an overlap window and revoke them; platform admins can revoke any key.
/// Every change bumps the snapshot revision, so proxies refuse a revoked key within a second.
/// </summary>
internal static partial class ApiKeyEndpoints
{
    /// <summary>Longest overlap of a rotation (a week).</summary>
    public const int MaxOverlapMinutes = 7 * 24 * 60;

    private static readonly SortMap<ApiKey> Sorts = new SortMap<ApiKey>("createdAt", k => k.KeyId)
        .Add("createdAt", k => k.CreatedAt).Add("expiresAt", k => k.ExpiresAt).Add("application", k => k.Application).Add("teamId", k => k.TeamId);

    public static void MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/keys").WithTags("API keys");
        keys.MapGet("/", ListAsync).RequireAuthorization(Policies.DeveloperOrAdmin);
        keys.MapGet("/{keyId}", GetAsync).RequireAuthorization(Policies.DeveloperOrAdmin);
        keys.MapPost("/", CreateAsync).RequireAuthorization(Policies.Developer);
        keys.MapPost("/{keyId}/rotate", RotateAsync).RequireAuthorization(Policies.Developer);
        keys.MapPut("/{keyId}/networks", SetNetworksAsync).RequireAuthorization(Policies.Developer);
        keys.MapPost("/{keyId}/revoke", RevokeAsync).RequireAuthorization(Policies.DeveloperOrAdmin);
    }

    private static async Task<Results<Ok<PagedResult<ApiKeyDto>>, ValidationProblem>> ListAsync(
        [AsParameters] ApiKeyQuery q, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation();
        var page = PageRequest.From(q.Page, q.PageSize, q.Sort, q.Order, Sorts, v, SortOrder.Desc);
        var statusFilter = QueryEnums.Parse<KeyStatus>(v, "status", q.Status);
        if (q.UnusedForDays is < 1 or > 3650) v.Error("unusedForDays", "must be between 1 and 3650");
        if (v.Failed) return v.Problem();
        var query = db.ApiKeys.Include(k => k.Subscriptions).AsQueryable();
        if (!user.SeesAllTeams())
        {
            var mine = await db.TeamIdsAsync(user, ct);
            query = query.Where(k => mine.Contains(k.TeamId));
        }
        if (!string.IsNullOrWhiteSpace(q.TeamId)) query = query.Where(k => k.TeamId == q.TeamId);
        if (statusFilter is { } status) query = query.Where(k => k.Status == status);
        if (!string.IsNullOrWhiteSpace(q.Search)) query = query.Where(k => k.Application.Contains(q.Search) || k.KeyId.Contains(q.Search));
        if (q.UnusedForDays is { } days)
        {
            var since = time.GetUtcNow().AddDays(-days);
            query = query.Where(k => !db.UsageEntries.Any(u => u.KeyId == k.KeyId && u.Timestamp >= since));
        }
        var keys = await query.ToPageAsync(page, Sorts, k => k, ct);
        var lastUsed = await LastUsedAsync(db, [.. keys.Items.Select(k => k.KeyId)], ct);
        return TypedResults.Ok(new PagedResult<ApiKeyDto>([.. keys.Items.Select(k => ToDto(k, lastUsed))], keys.Total, keys.Page, keys.PageSize));
    }

    /// <summary>The time of each key's latest request in the ledger (an index on key and time answers it).</summary>
    private static async Task<Dictionary<string, DateTimeOffset>> LastUsedAsync(GatewayDbContext db, List<string> keyIds, CancellationToken ct) =>
        keyIds.Count == 0 ? [] : await db.UsageEntries.Where(u => keyIds.Contains(u.KeyId)).GroupBy(u => u.KeyId)
            .Select(g => new { g.Key, Last = g.Max(u => u.Timestamp) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);

    private static async Task<Results<Ok<ApiKeyDto>, ProblemHttpResult>> GetAsync(string keyId, ClaimsPrincipal user, GatewayDbContext db, CancellationToken ct)
    {
        var key = await db.ApiKeys.Include(k => k.Subscriptions).FirstOrDefaultAsync(k => k.KeyId == keyId, ct);
        if (key is null || !await db.CanSeeTeamAsync(user, key.TeamId, ct)) return Problems.NotFound("API key", keyId);
        return TypedResults.Ok(ToDto(key, await LastUsedAsync(db, [key.KeyId], ct)));
    }

    private static async Task<Results<Created<CreatedApiKeyDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateApiKeyRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, IOptions<ControlPlaneOptions> options, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var v = new Validation().Id("teamId", r.TeamId).Required("application", r.Application, 200).Limits("limits", r.Limits);
        ValidateExpiry(v, "expiresAt", r.ExpiresAt, now, options.Value.MaxKeyLifetimeDays);
        ValidateNetworks(v, r.AllowedNetworks);
        if (v.Failed) return v.Problem();
        if (!await db.Teams.AnyAsync(t => t.Id == r.TeamId, ct)) return Problems.NotFound("Team", r.TeamId);
        if (!await db.IsMemberAsync(user, r.TeamId, ct)) return Problems.Forbidden($"You are not a member of team '{r.TeamId}'.");
        var subscriptionIds = r.SubscriptionIds?.Distinct(StringComparer.Ordinal).ToList();
        if (subscriptionIds is not null)
        {
            var owned = await db.Subscriptions.Where(s => subscriptionIds.Contains(s.Id) && s.TeamId == r.TeamId && s.Status == SubscriptionStatus.Active).Select(s => s.Id).ToListAsync(ct);
            for (var i = 0; i < subscriptionIds.Count; i++)
            {
                if (!owned.Contains(subscriptionIds[i])) v.Error($"subscriptionIds[{i}]", $"'{subscriptionIds[i]}' is not an active subscription of team '{r.TeamId}'");
            }
            if (v.Failed) return v.Problem();
        }

        var change = db.BeginChange(Actor.From(user), time);
        var (key, secret) = NewKey(r.TeamId, r.Application.Trim(), r.ExpiresAt, subscriptionIds, r.Limits, StoredNetworks(r.AllowedNetworks), change);
        db.ApiKeys.Add(key);
        change.Audit("apiKey.create", "apiKey", key.KeyId, null, Audited(key));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Created($"/api/keys/{key.KeyId}", new CreatedApiKeyDto(secret, ToDto(key)));
    }

    private static async Task<Results<Ok<CreatedApiKeyDto>, ValidationProblem, ProblemHttpResult>> RotateAsync(
        string keyId, RotateApiKeyRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, IOptions<ControlPlaneOptions> options, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var v = new Validation();
        ValidateExpiry(v, "expiresAt", r.ExpiresAt, now, options.Value.MaxKeyLifetimeDays);
        if (r.OverlapMinutes is < 0 or > MaxOverlapMinutes) v.Error("overlapMinutes", $"must be between 0 and {MaxOverlapMinutes}");
        if (v.Failed) return v.Problem();
        var old = await db.ApiKeys.Include(k => k.Subscriptions).FirstOrDefaultAsync(k => k.KeyId == keyId, ct);
        if (old is null || !await db.CanSeeTeamAsync(user, old.TeamId, ct)) return Problems.NotFound("API key", keyId);
        if (!await db.IsMemberAsync(user, old.TeamId, ct)) return Problems.Forbidden($"You are not a member of team '{old.TeamId}'.");
        if (old.Status == KeyStatus.Revoked) return Problems.Conflict("A revoked key cannot be rotated.");
        if (old.ReplacedBy is not null) return Problems.Conflict($"This key was already rotated to '{old.ReplacedBy}'.");
        if (old.ExpiresAt <= now) return Problems.Conflict("An expired key cannot be rotated; create a new one.");

        var before = Audited(old);
        var change = db.BeginChange(Actor.From(user), time);
        var (key, secret) = NewKey(old.TeamId, old.Application, r.ExpiresAt,
            old.AllSubscriptions ? null : [.. old.Subscriptions.Select(s => s.SubscriptionId)],
            TeamEndpoints.Limits(old.RequestsPerMinute, old.TokensPerMinute, old.MaxConcurrent), old.AllowedNetworks, change);
        key.RotatedFrom = old.KeyId;
        old.ReplacedBy = key.KeyId;
        var overlapEnd = change.Now.AddMinutes(r.OverlapMinutes);
        if (overlapEnd < old.ExpiresAt) old.ExpiresAt = overlapEnd;
        db.ApiKeys.Add(key);
        change.Audit("apiKey.rotate", "apiKey", old.KeyId, before, Audited(old));
        change.Audit("apiKey.create", "apiKey", key.KeyId, null, Audited(key));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Ok(new CreatedApiKeyDto(secret, ToDto(key)));
    }

    /// <summary>The networks a key may be used from, changed without a new secret (its application moved).</summary>
    private static async Task<Results<Ok<ApiKeyDto>, ValidationProblem, ProblemHttpResult>> SetNetworksAsync(
        string keyId, SetKeyNetworksRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation();
        ValidateNetworks(v, r.AllowedNetworks);
        if (v.Failed) return v.Problem();
        var key = await db.ApiKeys.Include(k => k.Subscriptions).FirstOrDefaultAsync(k => k.KeyId == keyId, ct);
        if (key is null || !await db.CanSeeTeamAsync(user, key.TeamId, ct)) return Problems.NotFound("API key", keyId);
        if (!await db.IsMemberAsync(user, key.TeamId, ct)) return Problems.Forbidden($"You are not a member of team '{key.TeamId}'.");
        if (key.Status == KeyStatus.Revoked) return Problems.Conflict("A revoked key's networks cannot be changed.");
        if (key.ExpiresAt <= time.GetUtcNow()) return Problems.Conflict("An expired key's networks cannot be changed; create a new key.");
        var before = Audited(key);
        key.AllowedNetworks = StoredNetworks(r.AllowedNetworks);
        var change = db.BeginChange(Actor.From(user), time);
        change.Audit("apiKey.networks", "apiKey", keyId, before, Audited(key));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Ok(ToDto(key, await LastUsedAsync(db, [key.KeyId], ct)));
    }

    private static async Task<Results<Ok<ApiKeyDto>, ProblemHttpResult>> RevokeAsync(string keyId, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var key = await db.ApiKeys.Include(k => k.Subscriptions).FirstOrDefaultAsync(k => k.KeyId == keyId, ct);
        if (key is null || !await db.CanSeeTeamAsync(user, key.TeamId, ct)) return Problems.NotFound("API key", keyId);
        var admin = user.IsInRole(Contracts.Identity.GatewayRoles.PlatformAdmin);
        if (!admin && !await db.IsMemberAsync(user, key.TeamId, ct)) return Problems.Forbidden($"You are not a member of team '{key.TeamId}'.");
        if (key.Status == KeyStatus.Revoked) return Problems.Conflict("The key is already revoked.");
        var before = Audited(key);
        var change = db.BeginChange(Actor.From(user), time);
        key.Status = KeyStatus.Revoked;
        key.RevokedAt = change.Now;
        key.RevokedBy = change.Actor.Id;
        change.Audit("apiKey.revoke", "apiKey", keyId, before, Audited(key));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Ok(ToDto(key, await LastUsedAsync(db, [key.KeyId], ct)));
    }
}
