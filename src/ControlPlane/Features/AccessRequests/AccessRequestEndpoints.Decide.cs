using System.Security.Claims;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.Subscriptions;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.AccessRequests;

internal static partial class AccessRequestEndpoints
{
    private static async Task<Results<Ok<AccessRequestDto>, ValidationProblem, ProblemHttpResult>> ApproveAsync(
        string id, ApproveAccessRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Limits("limits", r.Limits).Budget("budget", r.Budget).Defined("overLimit", r.OverLimit).Positive("maxOutputTokens", r.MaxOutputTokens);
        if (r.EndsAt is { } ends && ends <= time.GetUtcNow()) v.Error("endsAt", "must be in the future");
        if (v.Failed) return v.Problem();
        var request = await db.AccessRequests.FindAsync([id], ct);
        if (request is null) return Problems.NotFound("Access request", id);
        if (await CheckDecidableAsync(db, request, user, r.ConcurrencyStamp) is { } problem) return problem;

        var before = Audited(request);
        var actor = Actor.From(user);
        var change = db.BeginChange(actor, time);
        var limits = r.Limits ?? Teams.TeamEndpoints.Limits(request.RequestsPerMinute, request.TokensPerMinute, request.MaxConcurrent);
        var budget = r.Budget ?? Budget(request.MonthlyTokens, request.MonthlyAmount, request.Currency);
        Subscription subscription;
        if (request.Kind == AccessRequestKind.Access)
        {
            var model = await db.Models.Include(m => m.Versions).FirstOrDefaultAsync(m => m.Alias == request.ModelAlias, ct);
            if (model is null) return Problems.Conflict($"The model '{request.ModelAlias}' no longer exists.");
            if (r.PinnedVersion is { } pin && !model.Versions.Exists(x => x.Name == pin && x.Status != VersionStatus.Retired))
                return Problems.Invalid("pinnedVersion", $"'{pin}' is not a serving version of '{request.ModelAlias}'");
            if (await db.Subscriptions.AnyAsync(s => s.TeamId == request.TeamId && s.ModelAlias == request.ModelAlias && s.Status == SubscriptionStatus.Active, ct))
                return Problems.Conflict($"Team '{request.TeamId}' already has a subscription to '{request.ModelAlias}'.");
            subscription = new Subscription
            {
                Id = $"sub-{request.TeamId}-{request.ModelAlias}-{request.Id[^6..]}",
                TeamId = request.TeamId, ModelAlias = request.ModelAlias, Status = SubscriptionStatus.Active,
                CreatedAt = change.Now, ApprovedBy = actor.Id, AccessRequestId = request.Id,
            };
            if (subscription.Id.Length > 128) subscription.Id = $"sub-{request.Id}";
            db.Subscriptions.Add(subscription);
        }
        else
        {
            var existing = await db.Subscriptions.FindAsync([request.SubscriptionId!], ct);
            if (existing is null || existing.Status != SubscriptionStatus.Active) return Problems.Conflict("The subscription is gone or has ended.");
            subscription = existing;
            change.Audit("subscription.update", "subscription", subscription.Id, SubscriptionEndpoints.Audited(subscription), null);
        }
        ApplyGrant(subscription, limits, budget, r, request);

        request.Status = AccessRequestStatus.Approved;
        request.DecidedBy = actor.Id;
        request.DecidedByName = actor.Name;
        request.DecidedAt = change.Now;
        request.ResultSubscriptionId = subscription.Id;
        change.Audit("accessRequest.approve", "accessRequest", id, before, Audited(request));
        change.Audit(request.Kind == AccessRequestKind.Access ? "subscription.create" : "subscription.budget", "subscription", subscription.Id, null, SubscriptionEndpoints.Audited(subscription));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Ok(ToDto(db, request));
    }

    private static async Task<Results<Ok<AccessRequestDto>, ValidationProblem, ProblemHttpResult>> RejectAsync(
        string id, RejectAccessRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Required("reason", r.Reason, 2000);
        if (v.Failed) return v.Problem();
        var request = await db.AccessRequests.FindAsync([id], ct);
        if (request is null) return Problems.NotFound("Access request", id);
        if (await CheckDecidableAsync(db, request, user, r.ConcurrencyStamp) is { } problem) return problem;
        var before = Audited(request);
        var actor = Actor.From(user);
        var change = db.BeginChange(actor, time);
        request.Status = AccessRequestStatus.Rejected;
        request.DecidedBy = actor.Id;
        request.DecidedByName = actor.Name;
        request.DecidedAt = change.Now;
        request.DecisionReason = r.Reason.Trim();
        change.Audit("accessRequest.reject", "accessRequest", id, before, Audited(request));
        await change.CommitAsync(bumpsRevision: false, ct);
        return TypedResults.Ok(ToDto(db, request));
    }

    /// <summary>Maker-checker and state checks shared by approve and reject.</summary>
    private static Task<ProblemHttpResult?> CheckDecidableAsync(GatewayDbContext db, AccessRequest request, ClaimsPrincipal user, string? stamp)
    {
        if (request.RequestedBy == user.UserId())
            return Task.FromResult<ProblemHttpResult?>(Problems.Forbidden("You cannot decide your own request (maker-checker): another approver must."));
        if (request.Status != AccessRequestStatus.Pending)
            return Task.FromResult<ProblemHttpResult?>(Problems.Conflict($"The request is already {request.Status.ToString().ToLowerInvariant()}."));
        if (!db.MatchesStamp(request, stamp))
            return Task.FromResult<ProblemHttpResult?>(Problems.Conflict("The request changed since you read it; reload it."));
        return Task.FromResult<ProblemHttpResult?>(null);
    }

    private static void ApplyGrant(Subscription s, LimitSpec? limits, BudgetSpec? budget, ApproveAccessRequest r, AccessRequest request)
    {
        (s.RequestsPerMinute, s.TokensPerMinute, s.MaxConcurrent) = (limits?.RequestsPerMinute, limits?.TokensPerMinute, limits?.MaxConcurrent);
        (s.MonthlyTokens, s.MonthlyAmount, s.Currency) = (budget?.MonthlyTokens, budget?.MonthlyAmount, budget?.Currency);
        if (request.Kind == AccessRequestKind.Access)
        {
            s.PinnedVersion = r.PinnedVersion;
            s.OverLimit = r.OverLimit;
            s.MaxOutputTokens = r.MaxOutputTokens;
            s.EndsAt = (r.EndsAt ?? request.EndsAt)?.ToUniversalTime();
        }
        else if (r.EndsAt is { } ends)
        {
            s.EndsAt = ends.ToUniversalTime();
        }
    }
}
