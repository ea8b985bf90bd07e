using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Gateway.ControlPlane.Features.ChangeControl;

/// <summary>
/// <c>/api/changes</c>: the catalog and provider changes held for a second platform admin. The one
/// who proposed a change may withdraw it; another platform admin approves it (it is applied then,
/// as its proposer's call, with the approval in the same transaction and audit) or rejects it.
/// </summary>
internal static class ChangeEndpoints
{
    /// <summary>The most of an applied call's answer that is kept.</summary>
    private const int MaxResultChars = 64 * 1024;

    private static readonly SortMap<ProposedChange> Sorts = new SortMap<ProposedChange>("requestedAt", c => c.Id)
        .Add("requestedAt", c => c.RequestedAt).Add("decidedAt", c => c.DecidedAt).Add("status", c => c.Status);

    public static void MapChangeEndpoints(this IEndpointRouteBuilder app)
    {
        var changes = app.MapGroup("/api/changes").WithTags("Change control").RequireAuthorization(Policies.Admin);
        changes.MapGet("/", ListAsync);
        changes.MapGet("/{id}", GetAsync);
        changes.MapPost("/{id}/approve", ApproveAsync);
        changes.MapPost("/{id}/reject", RejectAsync);
        changes.MapPost("/{id}/withdraw", WithdrawAsync);
    }

    private static async Task<Results<Ok<PagedResult<ChangeDto>>, ValidationProblem>> ListAsync([AsParameters] ChangeQuery q, GatewayDbContext db, CancellationToken ct)
    {
        var v = new Validation();
        var page = PageRequest.From(q.Page, q.PageSize, null, null, Sorts, v, SortOrder.Desc);
        var status = QueryEnums.Parse<ChangeStatus>(v, "status", q.Status);
        if (v.Failed) return v.Problem();
        var query = db.ProposedChanges.AsNoTracking();
        if (status is { } s) query = query.Where(c => c.Status == s);
        return TypedResults.Ok(await query.ToPageAsync(page, Sorts, ToDto, ct));
    }

    private static async Task<Results<Ok<ChangeDto>, ProblemHttpResult>> GetAsync(string id, GatewayDbContext db, CancellationToken ct) =>
        await FindAsync(db, id, ct) is { } c ? TypedResults.Ok(ToDto(c)) : Problems.NotFound("Change", id);

    private static async Task<Results<Ok<ChangeDto>, ProblemHttpResult>> ApproveAsync(
        string id, HttpContext http, ClaimsPrincipal user, GatewayDbContext db, PendingChanges pending, TimeProvider time, CancellationToken ct)
    {
        var proposed = await FindAsync(db, id, ct);
        if (proposed is null) return Problems.NotFound("Change", id);
        if (proposed.RequestedBy == user.UserId()) return Problems.Forbidden("You cannot approve your own change (four eyes): another platform admin must.");
        if (proposed.Status != ChangeStatus.Pending) return NotPending(proposed);
        var checker = Actor.From(user);

        (int Status, string? Body, bool Committed) applied;
        try
        {
            applied = await IsPlatformAdminAsync(db, proposed.RequestedBy, ct)
                ? await ApplyAsync(http, proposed, checker, ct)
                : (StatusCodes.Status403Forbidden, "The platform admin who proposed this change no longer holds the role; it is not applied.", false);
        }
        catch (ChangeDecidedException)
        {
            return DecidedMeanwhile();
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("A record the change touches was changed meanwhile; the change is still pending: approve it again.");
        }
        catch (DbUpdateException)
        {
            applied = (StatusCodes.Status409Conflict, "The change conflicts with the current state (a duplicate or a record still in use).", false);
        }

        if (!applied.Committed)
        {
            // Nothing was written: it no longer applies (or, for a call that writes nothing, there was nothing to write).
            var success = applied.Status is >= 200 and < 300;
            if (await RecordDecisionAsync(db, id, success ? ChangeStatus.Applied : ChangeStatus.Failed, success ? "change.approve" : "change.fail", checker, null,
                    new { proposed.Summary, Result = Truncate(applied.Body), applied.Status }, time, ct) is { } decided)
                return decided;
        }
        await db.ProposedChanges.Where(c => c.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ResultStatus, applied.Status).SetProperty(c => c.ResultBody, Truncate(applied.Body)), ct);
        pending.Moved();
        return TypedResults.Ok(ToDto((await FindAsync(db, id, ct))!));
    }

    /// <summary>
    /// Runs the held call through its endpoint, in a scope of its own, as its proposer's call; the
    /// approval (status and audit event) commits in the call's own transaction.
    /// </summary>
    private static async Task<(int Status, string? Body, bool Committed)> ApplyAsync(HttpContext caller, ProposedChange proposed, Actor checker, CancellationToken ct)
    {
        var services = caller.RequestServices;
        var endpoint = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().FirstOrDefault(e =>
            e.RoutePattern.RawText == proposed.RoutePattern
            && e.Metadata.GetMetadata<ChangeControlledMetadata>() is not null
            && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(proposed.Method, StringComparer.OrdinalIgnoreCase) == true);
        if (endpoint?.RequestDelegate is null) return (StatusCodes.Status404NotFound, $"This version of the control plane has no {proposed.Method} {proposed.RoutePattern}.", false);

        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = ct };
        http.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(OpenIddictConstants.Claims.Subject, proposed.RequestedBy), new Claim(OpenIddictConstants.Claims.Name, proposed.RequestedByName)],
            "change-control", OpenIddictConstants.Claims.Name, OpenIddictConstants.Claims.Role));
        http.Request.Method = proposed.Method;
        (http.Request.Scheme, http.Request.Host, http.Request.PathBase, http.Request.Path) = (caller.Request.Scheme, caller.Request.Host, caller.Request.PathBase, proposed.Path);
        foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, string?>>(proposed.RouteValues, ChangeSet.AuditJson)!) http.Request.RouteValues[key] = value;
        if (proposed.Body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(proposed.Body);
            (http.Request.Body, http.Request.ContentLength, http.Request.ContentType) = (new MemoryStream(bytes), bytes.Length, "application/json");
            http.Features.Set<IHttpRequestBodyDetectionFeature>(HasBody.Instance);
        }
        using var response = new MemoryStream();
        http.Response.Body = response;
        http.SetEndpoint(endpoint);

        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        db.Gate = ChangeGate.Approval(async (change, token) =>
        {
            await ClaimAsync(db, proposed.Id, ChangeStatus.Applied, checker, change.Now, null, token);
            change.Audit(checker, "change.approve", "change", proposed.Id, null, new { proposed.Summary, RequestedBy = proposed.RequestedByName });
        });
        await endpoint.RequestDelegate(http);
        return (http.Response.StatusCode, response.Length == 0 ? null : Encoding.UTF8.GetString(response.ToArray()), db.Gate.Committed);
    }

    private static async Task<Results<Ok<ChangeDto>, ValidationProblem, ProblemHttpResult>> RejectAsync(
        string id, RejectChangeRequest r, ClaimsPrincipal user, GatewayDbContext db, PendingChanges pending, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Required("reason", r.Reason, 2000);
        if (v.Failed) return v.Problem();
        var proposed = await FindAsync(db, id, ct);
        if (proposed is null) return Problems.NotFound("Change", id);
        if (proposed.RequestedBy == user.UserId()) return Problems.Forbidden("You cannot reject your own change; withdraw it instead.");
        return await DecideAsync(db, pending, proposed, ChangeStatus.Rejected, "change.reject", Actor.From(user), r.Reason.Trim(), time, ct);
    }

    private static async Task<Results<Ok<ChangeDto>, ValidationProblem, ProblemHttpResult>> WithdrawAsync(
        string id, ClaimsPrincipal user, GatewayDbContext db, PendingChanges pending, TimeProvider time, CancellationToken ct)
    {
        var proposed = await FindAsync(db, id, ct);
        if (proposed is null) return Problems.NotFound("Change", id);
        if (proposed.RequestedBy != user.UserId()) return Problems.Forbidden("Only the platform admin who proposed a change can withdraw it; reject it instead.");
        return await DecideAsync(db, pending, proposed, ChangeStatus.Withdrawn, "change.withdraw", Actor.From(user), null, time, ct);
    }

    private static async Task<Results<Ok<ChangeDto>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        GatewayDbContext db, PendingChanges pending, ProposedChange proposed, ChangeStatus status, string action, Actor actor, string? reason, TimeProvider time, CancellationToken ct)
    {
        if (proposed.Status != ChangeStatus.Pending) return NotPending(proposed);
        if (await RecordDecisionAsync(db, proposed.Id, status, action, actor, reason, new { proposed.Summary, Reason = reason }, time, ct) is { } decided)
            return decided;
        pending.Moved();
        return TypedResults.Ok(ToDto((await FindAsync(db, proposed.Id, ct))!));
    }

    /// <summary>
    /// A decision that writes nothing but itself (reject, withdraw, an approval that no longer
    /// applies): the change's status and its audit event, in one transaction; a 409 when someone
    /// decided it first.
    /// </summary>
    private static async Task<ProblemHttpResult?> RecordDecisionAsync(
        GatewayDbContext db, string id, ChangeStatus status, string action, Actor actor, string? reason, object audited, TimeProvider time, CancellationToken ct)
    {
        var change = db.BeginChange(actor, time);
        await change.BeginAsync(ct);
        try
        {
            await ClaimAsync(db, id, status, actor, change.Now, reason, ct);
        }
        catch (ChangeDecidedException)
        {
            return DecidedMeanwhile();
        }
        change.Audit(action, "change", id, null, audited);
        await change.CommitAsync(bumpsRevision: false, ct);
        return null;
    }

    /// <summary>Moves a pending change to its decision inside the caller's transaction; only one decision wins.</summary>
    private static async Task ClaimAsync(GatewayDbContext db, string id, ChangeStatus status, Actor by, DateTimeOffset at, string? reason, CancellationToken ct)
    {
        var claimed = await db.ProposedChanges.Where(c => c.Id == id && c.Status == ChangeStatus.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Status, status).SetProperty(c => c.DecidedBy, by.Id).SetProperty(c => c.DecidedByName, by.Name)
            .SetProperty(c => c.DecidedAt, at).SetProperty(c => c.Reason, reason), ct);
        if (claimed == 0) throw new ChangeDecidedException();
    }

    /// <summary>Whether someone other than <paramref name="userId"/> holds PlatformAdmin (and so could approve).</summary>
    internal static Task<bool> AnotherPlatformAdminExistsAsync(GatewayDbContext db, string userId, CancellationToken ct) =>
        PlatformAdminGrants(db).AnyAsync(ur => ur.UserId != userId, ct);

    /// <summary>Whether the user still holds PlatformAdmin (the roles of external sign-ins are kept in step at each sign-in).</summary>
    private static Task<bool> IsPlatformAdminAsync(GatewayDbContext db, string userId, CancellationToken ct) =>
        PlatformAdminGrants(db).AnyAsync(ur => ur.UserId == userId, ct);

    /// <summary>The users' grants of the PlatformAdmin role.</summary>
    private static IQueryable<IdentityUserRole<string>> PlatformAdminGrants(GatewayDbContext db) =>
        db.UserRoles.Where(ur => db.Roles.Any(r => r.Id == ur.RoleId && r.Name == GatewayRoles.PlatformAdmin));

    private static Task<ProposedChange?> FindAsync(GatewayDbContext db, string id, CancellationToken ct) =>
        db.ProposedChanges.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);

    private static ProblemHttpResult DecidedMeanwhile() => Problems.Conflict("The change was decided by someone else meanwhile; reload it.");

    private static ProblemHttpResult NotPending(ProposedChange c) => Problems.Conflict($"The change is already {c.Status.ToString().ToLowerInvariant()}.");

    private static string? Truncate(string? text) => text is null || text.Length <= MaxResultChars ? text : text[..MaxResultChars];

    internal static ChangeDto ToDto(ProposedChange c) => new(
        c.Id, c.Method, c.Path, c.Body, c.Summary, JsonSerializer.Deserialize<List<ChangeEffectDto>>(c.Effects, ChangeSet.AuditJson) ?? [], c.Status,
        c.RequestedBy, c.RequestedByName, c.RequestedAt, c.DecidedBy, c.DecidedByName, c.DecidedAt, c.Reason,
        c.ResultStatus is { } status ? new ChangeResultDto(status, c.ResultBody) : null);

    /// <summary>The held call has a body (a context built by hand has no server to say so).</summary>
    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public static readonly HasBody Instance = new();

        public bool CanHaveBody => true;
    }
}

/// <summary>A change was decided by someone else between reading it and deciding it.</summary>
internal sealed class ChangeDecidedException() : Exception("The change is no longer pending.");
