using System.Security.Claims;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.ChangeControl;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gateway.ControlPlane.Features.Providers;

/// <summary><c>/api/providers</c>: platform admins only. Credentials are references, never secrets.</summary>
internal static class ProviderEndpoints
{
    private static readonly SortMap<Provider> Sorts = new SortMap<Provider>("id", p => p.Id)
        .Add("id", p => p.Id).Add("kind", p => p.Kind).Add("createdAt", p => p.CreatedAt);

    public static void MapProviderEndpoints(this IEndpointRouteBuilder app)
    {
        var providers = app.MapGroup("/api/providers").WithTags("Providers").RequireAuthorization(Policies.Admin);
        providers.MapGet("/", ListAsync);
        providers.MapGet("/{id}", GetAsync);
        providers.MapPost("/", CreateAsync).HeldForSecondAdmin();
        providers.MapPut("/{id}", UpdateAsync).HeldForSecondAdmin();
        providers.MapDelete("/{id}", DeleteAsync).HeldForSecondAdmin();
        // Taking traffic away is one admin's act, at once (an incident); giving it back is a change like the others.
        providers.MapPost("/{id}/suspend", SuspendAsync);
        providers.MapPost("/{id}/resume", ResumeAsync).HeldForSecondAdmin();
    }

    private static async Task<Results<Ok<PagedResult<ProviderDto>>, ValidationProblem>> ListAsync([AsParameters] ProviderQuery q, GatewayDbContext db, CancellationToken ct)
    {
        var v = new Validation();
        var page = PageRequest.From(q.Page, q.PageSize, q.Sort, q.Order, Sorts, v);
        if (v.Failed) return v.Problem();
        var query = db.Providers.AsQueryable();
        if (!string.IsNullOrWhiteSpace(q.Search)) query = query.Where(p => p.Id.Contains(q.Search) || p.BaseUrl.Contains(q.Search));
        return TypedResults.Ok(await query.ToPageAsync(page, Sorts, p => ToDto(db, p), ct));
    }

    private static async Task<Results<Ok<ProviderDto>, ProblemHttpResult>> GetAsync(string id, GatewayDbContext db, CancellationToken ct) =>
        await db.Providers.FindAsync([id], ct) is { } p ? TypedResults.Ok(ToDto(db, p)) : Problems.NotFound("Provider", id);

    private static async Task<Results<Created<ProviderDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateProviderRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, IOptions<ControlPlaneOptions> options, CancellationToken ct)
    {
        var v = Validate(new Validation().Id("id", r.Id), options.Value.Providers.AllowedHosts, r.Kind, r.BaseUrl, r.CredentialRef, r.ApiVersion, r.ConnectTimeoutSeconds, r.FirstByteTimeoutSeconds, r.StreamIdleTimeoutSeconds);
        if (v.Failed) return v.Problem();
        if (await db.Providers.AnyAsync(p => p.Id == r.Id, ct)) return Problems.Conflict($"A provider with the id '{r.Id}' exists.");
        var change = db.BeginChange(Actor.From(user), time);
        var p = new Provider
        {
            Id = r.Id, Kind = r.Kind, BaseUrl = r.BaseUrl.TrimEnd('/'), CredentialRef = r.CredentialRef, ApiVersion = r.ApiVersion,
            ConnectTimeoutSeconds = r.ConnectTimeoutSeconds, FirstByteTimeoutSeconds = r.FirstByteTimeoutSeconds, StreamIdleTimeoutSeconds = r.StreamIdleTimeoutSeconds,
            CreatedAt = change.Now,
        };
        db.Providers.Add(p);
        change.Audit("provider.create", "provider", p.Id, null, Audited(p));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Created($"/api/providers/{p.Id}", ToDto(db, p));
    }

    private static async Task<Results<Ok<ProviderDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string id, UpdateProviderRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, IOptions<ControlPlaneOptions> options, CancellationToken ct)
    {
        var v = Validate(new Validation(), options.Value.Providers.AllowedHosts, r.Kind, r.BaseUrl, r.CredentialRef, r.ApiVersion, r.ConnectTimeoutSeconds, r.FirstByteTimeoutSeconds, r.StreamIdleTimeoutSeconds);
        if (v.Failed) return v.Problem();
        var p = await db.Providers.FindAsync([id], ct);
        if (p is null) return Problems.NotFound("Provider", id);
        if (!db.MatchesStamp(p, r.ConcurrencyStamp)) return Problems.Conflict("The provider changed since you read it.");
        var before = Audited(p);
        (p.Kind, p.BaseUrl, p.CredentialRef, p.ApiVersion) = (r.Kind, r.BaseUrl.TrimEnd('/'), r.CredentialRef, r.ApiVersion);
        (p.ConnectTimeoutSeconds, p.FirstByteTimeoutSeconds, p.StreamIdleTimeoutSeconds) = (r.ConnectTimeoutSeconds, r.FirstByteTimeoutSeconds, r.StreamIdleTimeoutSeconds);
        var change = db.BeginChange(Actor.From(user), time);
        change.Audit("provider.update", "provider", id, before, Audited(p));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Ok(ToDto(db, p));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var p = await db.Providers.FindAsync([id], ct);
        if (p is null) return Problems.NotFound("Provider", id);
        if (await db.Deployments.AnyAsync(d => d.ProviderId == id, ct)) return Problems.Conflict($"Deployments still use provider '{id}'; remove them first.");
        db.Providers.Remove(p);
        var change = db.BeginChange(Actor.From(user), time);
        change.Audit("provider.delete", "provider", id, Audited(p), null);
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ProviderDto>, ValidationProblem, ProblemHttpResult>> SuspendAsync(
        string id, SuspendProviderRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Required("reason", r.Reason, 2000);
        if (v.Failed) return v.Problem();
        var p = await db.Providers.FindAsync([id], ct);
        if (p is null) return Problems.NotFound("Provider", id);
        if (p.SuspendedAt is not null) return Problems.Conflict($"Provider '{id}' is already suspended.");
        var change = db.BeginChange(Actor.From(user), time);
        var before = Audited(p);
        (p.SuspendedAt, p.SuspendedBy, p.SuspendReason) = (change.Now, change.Actor.Name, r.Reason.Trim());
        change.Audit("provider.suspend", "provider", id, before, Audited(p));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Ok(ToDto(db, p));
    }

    private static async Task<Results<Ok<ProviderDto>, ProblemHttpResult>> ResumeAsync(
        string id, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var p = await db.Providers.FindAsync([id], ct);
        if (p is null) return Problems.NotFound("Provider", id);
        if (p.SuspendedAt is null) return Problems.Conflict($"Provider '{id}' is not suspended.");
        var change = db.BeginChange(Actor.From(user), time);
        var before = Audited(p);
        (p.SuspendedAt, p.SuspendedBy, p.SuspendReason) = (null, null, null);
        change.Audit("provider.resume", "provider", id, before, Audited(p));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Ok(ToDto(db, p));
    }

    private static Validation Validate(Validation v, List<string> allowedHosts, ProviderKind kind, string? baseUrl, string? credentialRef, string? apiVersion, int connect, int firstByte, int idle)
    {
        v.Defined("kind", kind);
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || baseUrl!.Length > 2048)
            v.Error("baseUrl", "must be an absolute http or https URL");
        else if (!HostAllowList.AllowsUrl(allowedHosts, baseUrl))
            v.Error("baseUrl", $"names {uri.Scheme}://{uri.IdnHost}, which is not among the hosts providers may use (ControlPlane:Providers:AllowedHosts: {string.Join(", ", allowedHosts)}; a host without 'http://' allows HTTPS only)");
        if (credentialRef is not null && (credentialRef.Length > 512 || !SnapshotValidator.IsCredentialRef(credentialRef)))
            v.Error("credentialRef", "must be 'env:NAME' or 'file:/absolute/path' (a reference, never the secret)");
        v.Optional("apiVersion", apiVersion, 64);
        if (connect is < 1 or > 600) v.Error("connectTimeoutSeconds", "must be between 1 and 600");
        if (firstByte is < 1 or > 3600) v.Error("firstByteTimeoutSeconds", "must be between 1 and 3600");
        if (idle is < 1 or > 3600) v.Error("streamIdleTimeoutSeconds", "must be between 1 and 3600");
        return v;
    }

    private static object Audited(Provider p) => new
    {
        p.Id, p.Kind, p.BaseUrl, p.CredentialRef, p.ApiVersion, p.ConnectTimeoutSeconds, p.FirstByteTimeoutSeconds, p.StreamIdleTimeoutSeconds,
        p.SuspendedAt, p.SuspendedBy, p.SuspendReason,
    };

    private static ProviderDto ToDto(GatewayDbContext db, Provider p) => new(
        p.Id, p.Kind, p.BaseUrl, p.CredentialRef, p.ApiVersion, p.ConnectTimeoutSeconds, p.FirstByteTimeoutSeconds, p.StreamIdleTimeoutSeconds, p.CreatedAt, db.StampOf(p),
        p.SuspendedAt, p.SuspendedBy, p.SuspendReason);
}
