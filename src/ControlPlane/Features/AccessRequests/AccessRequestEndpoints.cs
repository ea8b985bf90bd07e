using System.Security.Claims;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.Teams;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.AccessRequests;

/// <summary>
/// <c>/api/access-requests</c>: team members ask (for a model, or more budget), approvers decide.
/// Maker-checker: nobody decides their own request. Two approvers at once: one wins, one gets 409.
/// </summary>
internal static partial class AccessRequestEndpoints
{
    private static readonly SortMap<AccessRequest> Sorts = new SortMap<AccessRequest>("requestedAt", r => r.Id)
        .Add("requestedAt", r => r.RequestedAt).Add("decidedAt", r => r.DecidedAt).Add("teamId", r => r.TeamId)
        .Add("modelAlias", r => r.ModelAlias).Add("status", r => r.Status);

    public static void MapAccessRequestEndpoints(this IEndpointRouteBuilder app)
    {
        var requests = app.MapGroup("/api/access-requests").WithTags("Access requests");
        requests.MapGet("/", ListAsync).RequireAuthorization(Policies.Requests);
        requests.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Requests);
        requests.MapPost("/", CreateAsync).RequireAuthorization(Policies.Developer);
        requests.MapPost("/{id}/approve", ApproveAsync).RequireAuthorization(Policies.Approver);
        requests.MapPost("/{id}/reject", RejectAsync).RequireAuthorization(Policies.Approver);
        requests.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(Policies.Developer);
    }

    private static async Task<Results<Ok<PagedResult<AccessRequestDto>>, ValidationProblem>> ListAsync(
        [AsParameters] AccessRequestQuery q, ClaimsPrincipal user, GatewayDbContext db, CancellationToken ct)
    {
        var v = new Validation();
        var page = PageRequest.From(q.Page, q.PageSize, q.Sort, q.Order, Sorts, v, SortOrder.Desc);
        var statusFilter = QueryEnums.Parse<AccessRequestStatus>(v, "status", q.Status);
        var kindFilter = QueryEnums.Parse<AccessRequestKind>(v, "kind", q.Kind);
        if (v.Failed) return v.Problem();
        var query = db.AccessRequests.AsQueryable();
        if (!user.SeesAllTeams())
        {
            var mine = await db.TeamIdsAsync(user, ct);
            query = query.Where(r => mine.Contains(r.TeamId));
        }
        if (q.Mine == true)
        {
            var me = user.UserId();
            query = query.Where(r => r.RequestedBy == me);
        }
        if (statusFilter is { } status) query = query.Where(r => r.Status == status);
        if (kindFilter is { } kind) query = query.Where(r => r.Kind == kind);
        if (!string.IsNullOrWhiteSpace(q.TeamId)) query = query.Where(r => r.TeamId == q.TeamId);
        if (!string.IsNullOrWhiteSpace(q.ModelAlias)) query = query.Where(r => r.ModelAlias == q.ModelAlias);
        return TypedResults.Ok(await query.ToPageAsync(page, Sorts, r => ToDto(db, r), ct));
    }

    private static async Task<Results<Ok<AccessRequestDto>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, GatewayDbContext db, CancellationToken ct)
    {
        var request = await db.AccessRequests.FindAsync([id], ct);
        if (request is null || !await db.CanSeeTeamAsync(user, request.TeamId, ct)) return Problems.NotFound("Access request", id);
        return TypedResults.Ok(ToDto(db, request));
    }

    private static async Task<Results<Created<AccessRequestDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateAccessRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Id("teamId", r.TeamId).Id("modelAlias", r.ModelAlias).Required("justification", r.Justification, 2000)
            .Limits("limits", r.Limits).Budget("budget", r.Budget).Defined("dataClassification", r.DataClassification);
        if (r.EndsAt is { } ends && ends <= time.GetUtcNow()) v.Error("endsAt", "must be in the future");
        if (v.Failed) return v.Problem();
        if (!await db.Teams.AnyAsync(t => t.Id == r.TeamId, ct)) return Problems.NotFound("Team", r.TeamId);
        if (!await db.IsMemberAsync(user, r.TeamId, ct)) return Problems.Forbidden($"You are not a member of team '{r.TeamId}'.");
        var model = await db.Models.Include(m => m.Versions).FirstOrDefaultAsync(m => m.Alias == r.ModelAlias, ct);
        if (model is null) return Problems.NotFound("Model", r.ModelAlias);
        var serving = model.Versions.Find(x => x.Name == model.DefaultVersion);
        if (serving is not null && r.DataClassification > serving.MaxDataClassification)
            return Problems.Invalid("dataClassification", $"'{model.Alias}' is cleared for {serving.MaxDataClassification.ToString().ToLowerInvariant()} data at most");
        if (await db.Subscriptions.AnyAsync(s => s.TeamId == r.TeamId && s.ModelAlias == r.ModelAlias && s.Status == SubscriptionStatus.Active, ct))
            return Problems.Conflict($"Team '{r.TeamId}' already has a subscription to '{r.ModelAlias}'; ask for a budget increase instead.");
        if (await db.AccessRequests.AnyAsync(x => x.TeamId == r.TeamId && x.ModelAlias == r.ModelAlias && x.Kind == AccessRequestKind.Access && x.Status == AccessRequestStatus.Pending, ct))
            return Problems.Conflict($"A request for '{r.ModelAlias}' by team '{r.TeamId}' is already pending.");

        var actor = Actor.From(user);
        var change = db.BeginChange(actor, time);
        var request = New(AccessRequestKind.Access, r.TeamId, r.ModelAlias, null, r.Justification, r.Limits, r.Budget, actor, change.Now);
        request.DataClassification = r.DataClassification;
        request.EndsAt = r.EndsAt?.ToUniversalTime();
        db.AccessRequests.Add(request);
        change.Audit("accessRequest.create", "accessRequest", request.Id, null, Audited(request));
        await change.CommitAsync(bumpsRevision: false, ct);
        return TypedResults.Created($"/api/access-requests/{request.Id}", ToDto(db, request));
    }

    private static async Task<Results<Ok<AccessRequestDto>, ProblemHttpResult>> CancelAsync(
        string id, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var request = await db.AccessRequests.FindAsync([id], ct);
        if (request is null || !await db.CanSeeTeamAsync(user, request.TeamId, ct)) return Problems.NotFound("Access request", id);
        if (request.RequestedBy != user.UserId()) return Problems.Forbidden("Only the requester can cancel a request.");
        if (request.Status != AccessRequestStatus.Pending) return Problems.Conflict($"The request is already {request.Status.ToString().ToLowerInvariant()}.");
        var before = Audited(request);
        var change = db.BeginChange(Actor.From(user), time);
        request.Status = AccessRequestStatus.Cancelled;
        request.DecidedAt = change.Now;
        request.DecidedBy = change.Actor.Id;
        request.DecidedByName = change.Actor.Name;
        change.Audit("accessRequest.cancel", "accessRequest", id, before, Audited(request));
        await change.CommitAsync(bumpsRevision: false, ct);
        return TypedResults.Ok(ToDto(db, request));
    }

    internal static AccessRequest New(
        AccessRequestKind kind, string teamId, string alias, string? subscriptionId, string justification, LimitSpec? limits, BudgetSpec? budget, Actor actor, DateTimeOffset now) => new()
    {
        Id = $"req-{Guid.CreateVersion7(now):N}"[..24],
        Kind = kind, TeamId = teamId, ModelAlias = alias, SubscriptionId = subscriptionId, Justification = justification.Trim(),
        RequestsPerMinute = limits?.RequestsPerMinute, TokensPerMinute = limits?.TokensPerMinute, MaxConcurrent = limits?.MaxConcurrent,
        MonthlyTokens = budget?.MonthlyTokens, MonthlyAmount = budget?.MonthlyAmount, Currency = budget?.Currency,
        Status = AccessRequestStatus.Pending, RequestedBy = actor.Id, RequestedByName = actor.Name, RequestedAt = now,
    };

    internal static object Audited(AccessRequest r) => new
    {
        r.Id, r.Kind, r.TeamId, r.ModelAlias, r.SubscriptionId, r.Status, r.Justification,
        limits = TeamEndpoints.Limits(r.RequestsPerMinute, r.TokensPerMinute, r.MaxConcurrent), budget = Budget(r.MonthlyTokens, r.MonthlyAmount, r.Currency),
        r.EndsAt, r.DataClassification, r.RequestedBy, r.DecidedBy, r.DecisionReason, r.ResultSubscriptionId,
    };

    internal static BudgetSpec? Budget(long? tokens, decimal? amount, string? currency) =>
        tokens is null && amount is null ? null : new BudgetSpec(tokens, amount, currency);

    internal static AccessRequestDto ToDto(GatewayDbContext db, AccessRequest r) => new(
        r.Id, r.Kind, r.TeamId, r.ModelAlias, r.SubscriptionId, r.Justification,
        TeamEndpoints.Limits(r.RequestsPerMinute, r.TokensPerMinute, r.MaxConcurrent), Budget(r.MonthlyTokens, r.MonthlyAmount, r.Currency),
        r.DataClassification, r.EndsAt, r.Status, r.RequestedBy, r.RequestedByName, r.RequestedAt, r.DecidedBy, r.DecidedByName, r.DecidedAt,
        r.DecisionReason, r.ResultSubscriptionId, db.StampOf(r));
}
