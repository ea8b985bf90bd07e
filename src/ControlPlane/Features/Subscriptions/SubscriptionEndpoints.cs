using System.Security.Claims;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.AccessRequests;
using Gateway.ControlPlane.Features.Teams;
using Gateway.ControlPlane.Features.Usage;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.Subscriptions;

/// <summary>
/// <c>/api/subscriptions</c>: created by approvals. Developers see their teams', the other
/// roles all. Budget increases are requests decided like access requests.
/// </summary>
internal static class SubscriptionEndpoints
{
    private static readonly SortMap<Subscription> Sorts = new SortMap<Subscription>("createdAt", s => s.Id)
        .Add("id", s => s.Id).Add("teamId", s => s.TeamId).Add("modelAlias", s => s.ModelAlias).Add("createdAt", s => s.CreatedAt).Add("endsAt", s => s.EndsAt);

    public static void MapSubscriptionEndpoints(this IEndpointRouteBuilder app)
    {
        var subscriptions = app.MapGroup("/api/subscriptions").WithTags("Subscriptions");
        subscriptions.MapGet("/", ListAsync).RequireAuthorization(Policies.AnyRole);
        subscriptions.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.AnyRole);
        subscriptions.MapPost("/{id}/budget-requests", RequestBudgetAsync).RequireAuthorization(Policies.Developer);
        subscriptions.MapPost("/{id}/end", EndAsync).RequireAuthorization(Policies.Admin);
    }

    private static async Task<Results<Ok<PagedResult<SubscriptionDto>>, ValidationProblem>> ListAsync(
        [AsParameters] SubscriptionQuery q, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation();
        var page = PageRequest.From(q.Page, q.PageSize, q.Sort, q.Order, Sorts, v);
        var statusFilter = QueryEnums.Parse<SubscriptionStatus>(v, "status", q.Status);
        if (v.Failed) return v.Problem();
        var query = db.Subscriptions.AsQueryable();
        if (!user.SeesAllTeams())
        {
            var mine = await db.TeamIdsAsync(user, ct);
            query = query.Where(s => mine.Contains(s.TeamId));
        }
        if (!string.IsNullOrWhiteSpace(q.TeamId)) query = query.Where(s => s.TeamId == q.TeamId);
        if (!string.IsNullOrWhiteSpace(q.ModelAlias)) query = query.Where(s => s.ModelAlias == q.ModelAlias);
        if (statusFilter is { } status) query = query.Where(s => s.Status == status);
        var result = await query.ToPageAsync(page, Sorts, s => s, ct);
        var usage = await PeriodUsage.ForSubscriptionsAsync(db, [.. result.Items.Select(s => s.Id)], time.GetUtcNow(), ct);
        return TypedResults.Ok(new PagedResult<SubscriptionDto>([.. result.Items.Select(s => ToDto(db, s, usage.GetValueOrDefault(s.Id)))], result.Total, result.Page, result.PageSize));
    }

    private static async Task<Results<Ok<SubscriptionDto>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var s = await db.Subscriptions.FindAsync([id], ct);
        if (s is null || !await db.CanSeeTeamAsync(user, s.TeamId, ct)) return Problems.NotFound("Subscription", id);
        var usage = await PeriodUsage.ForSubscriptionsAsync(db, [id], time.GetUtcNow(), ct);
        return TypedResults.Ok(ToDto(db, s, usage.GetValueOrDefault(id)));
    }

    private static async Task<Results<Created<AccessRequestDto>, ValidationProblem, ProblemHttpResult>> RequestBudgetAsync(
        string id, CreateBudgetIncreaseRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Required("justification", r.Justification, 2000).Limits("limits", r.Limits);
        if (r.Budget is null) v.Error("budget", "is required");
        else v.Budget("budget", r.Budget);
        if (v.Failed) return v.Problem();
        var s = await db.Subscriptions.FindAsync([id], ct);
        if (s is null || !await db.CanSeeTeamAsync(user, s.TeamId, ct)) return Problems.NotFound("Subscription", id);
        if (!await db.IsMemberAsync(user, s.TeamId, ct)) return Problems.Forbidden($"You are not a member of team '{s.TeamId}'.");
        if (s.Status != SubscriptionStatus.Active) return Problems.Conflict("The subscription has ended.");
        if (await db.AccessRequests.AnyAsync(x => x.SubscriptionId == id && x.Status == AccessRequestStatus.Pending, ct))
            return Problems.Conflict("A budget request for this subscription is already pending.");
        var actor = Actor.From(user);
        var change = db.BeginChange(actor, time);
        var request = AccessRequestEndpoints.New(AccessRequestKind.BudgetIncrease, s.TeamId, s.ModelAlias, s.Id, r.Justification,
            r.Limits ?? TeamEndpoints.Limits(s.RequestsPerMinute, s.TokensPerMinute, s.MaxConcurrent), r.Budget, actor, change.Now);
        db.AccessRequests.Add(request);
        change.Audit("accessRequest.create", "accessRequest", request.Id, null, AccessRequestEndpoints.Audited(request));
        await change.CommitAsync(bumpsRevision: false, ct);
        return TypedResults.Created($"/api/access-requests/{request.Id}", AccessRequestEndpoints.ToDto(db, request));
    }

    private static async Task<Results<Ok<SubscriptionDto>, ProblemHttpResult>> EndAsync(string id, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var s = await db.Subscriptions.FindAsync([id], ct);
        if (s is null) return Problems.NotFound("Subscription", id);
        if (s.Status == SubscriptionStatus.Ended) return Problems.Conflict("The subscription has already ended.");
        var before = Audited(s);
        var change = db.BeginChange(Actor.From(user), time);
        s.Status = SubscriptionStatus.Ended;
        s.EndsAt = change.Now;
        change.Audit("subscription.end", "subscription", id, before, Audited(s));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Ok(ToDto(db, s, null));
    }

    internal static object Audited(Subscription s) => new
    {
        s.Id, s.TeamId, s.ModelAlias, s.PinnedVersion, s.Status, s.EndsAt, s.OverLimit, s.MaxOutputTokens,
        limits = TeamEndpoints.Limits(s.RequestsPerMinute, s.TokensPerMinute, s.MaxConcurrent),
        budget = AccessRequestEndpoints.Budget(s.MonthlyTokens, s.MonthlyAmount, s.Currency),
    };

    internal static SubscriptionDto ToDto(GatewayDbContext db, Subscription s, PeriodUsageSpec? usage) => new(
        s.Id, s.TeamId, s.ModelAlias, s.PinnedVersion, TeamEndpoints.Limits(s.RequestsPerMinute, s.TokensPerMinute, s.MaxConcurrent),
        AccessRequestEndpoints.Budget(s.MonthlyTokens, s.MonthlyAmount, s.Currency), s.OverLimit, s.MaxOutputTokens, s.EndsAt, s.Status,
        s.CreatedAt, s.ApprovedBy, s.AccessRequestId, usage, db.StampOf(s));
}
