using System.Security.Claims;
using Gateway.Contracts.Admin;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.Chargeback;

/// <summary>
/// <c>/api/statements</c>: monthly chargeback per cost centre, computed from the ledger.
/// Finance closes a finished month (its lines freeze; later usage of that month is charged to the
/// next open one) and books corrections as adjustments in an open month. Admins read.
/// </summary>
internal static partial class ChargebackEndpoints
{
    private static readonly Dictionary<string, Func<StatementPeriodDto, object?>> PeriodSorts = new(StringComparer.OrdinalIgnoreCase) { ["period"] = p => p.Period };
    private static readonly SortMap<StatementPeriodDto> PeriodSortNames = new SortMap<StatementPeriodDto>("period", p => p.Period).Add("period", p => p.Period);

    public static void MapChargebackEndpoints(this IEndpointRouteBuilder app)
    {
        var statements = app.MapGroup("/api/statements").WithTags("Chargeback");
        statements.MapGet("/", ListAsync).RequireAuthorization(Policies.FinanceOrAdmin);
        statements.MapGet("/{period}", GetAsync).RequireAuthorization(Policies.FinanceOrAdmin);
        statements.MapPost("/{period}/close", CloseAsync).RequireAuthorization(Policies.Finance);
        statements.MapPost("/{period}/adjustments", AdjustAsync).RequireAuthorization(Policies.Finance);
    }

    private static async Task<Results<Ok<PagedResult<StatementPeriodDto>>, ValidationProblem>> ListAsync(
        [AsParameters] StatementPeriodQuery q, GatewayDbContext db, CancellationToken ct)
    {
        var v = new Validation();
        var page = PageRequest.From(q.Page, q.PageSize, q.Sort, q.Order, PeriodSortNames, v, SortOrder.Desc);
        if (v.Failed) return v.Problem();
        var usage = await db.UsageEntries.Select(u => new { u.BillingPeriod, u.Currency, u.Cost }).AggregateAsync(db, q => q
            .GroupBy(u => new { u.BillingPeriod, u.Currency }).Select(g => new { g.Key.BillingPeriod, g.Key.Currency, Cost = g.Sum(u => u.Cost) }), ct);
        var adjustments = await db.Adjustments.Select(a => new { a.Period, a.Currency, a.Amount }).AggregateAsync(db, q => q
            .GroupBy(a => new { a.Period, a.Currency }).Select(g => new { g.Key.Period, g.Key.Currency, Amount = g.Sum(a => a.Amount) }), ct);
        var closed = await db.ClosedPeriods.ToDictionaryAsync(p => p.Period, ct);
        var periods = usage.Select(u => u.BillingPeriod).Concat(adjustments.Select(a => a.Period)).Concat(closed.Keys).Distinct(StringComparer.Ordinal);
        var rows = periods.Select(p => new StatementPeriodDto(p, closed.ContainsKey(p), closed.GetValueOrDefault(p)?.ClosedAt,
            [.. usage.Where(u => u.BillingPeriod == p).Select(u => (u.Currency, Amount: u.Cost))
                .Concat(adjustments.Where(a => a.Period == p).Select(a => (a.Currency, a.Amount)))
                .GroupBy(x => x.Currency).OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => new MoneyTotal(x.Key, x.Sum(y => y.Amount)))]));
        if (q.Closed is { } c) rows = rows.Where(r => r.Closed == c);
        return TypedResults.Ok(rows.ToPage(page, PeriodSorts));
    }

    private static async Task<Results<Ok<StatementDto>, ValidationProblem>> GetAsync(string period, GatewayDbContext db, CancellationToken ct)
    {
        var v = new Validation().Period("period", period);
        if (v.Failed) return v.Problem();
        return TypedResults.Ok(await BuildAsync(db, period, ct));
    }

    private static async Task<Results<Ok<StatementDto>, ValidationProblem, ProblemHttpResult>> CloseAsync(
        string period, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Period("period", period);
        if (v.Failed) return v.Problem();
        var current = Periods.Of(time.GetUtcNow());
        if (string.CompareOrdinal(period, current) >= 0) return Problems.Conflict($"{period} has not ended yet; only a past month can be closed.");
        var change = db.BeginChange(Actor.From(user), time);
        await change.LockBillingAsync(ct);
        if (await db.ClosedPeriods.AnyAsync(p => p.Period == period, ct)) return Problems.Conflict($"{period} is already closed.");
        var lines = await LedgerLinesAsync(db, period, ct);
        db.ClosedPeriods.Add(new ClosedPeriod { Period = period, ClosedAt = change.Now, ClosedBy = change.Actor.Id });
        db.StatementLines.AddRange(lines);
        change.Audit("statement.close", "statement", period, null, new
        {
            period,
            lines = lines.Count,
            totals = lines.GroupBy(l => l.Currency).Select(g => new MoneyTotal(g.Key, g.Sum(l => l.Cost))),
        });
        await change.CommitAsync(bumpsRevision: false, ct);
        return TypedResults.Ok(await BuildAsync(db, period, ct));
    }

    private static async Task<Results<Created<AdjustmentDto>, ValidationProblem, ProblemHttpResult>> AdjustAsync(
        string period, CreateAdjustmentRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Period("period", period).Required("costCentre", r.CostCentre, 64).Money("amount", r.Amount, allowNegative: true)
            .Currency("currency", r.Currency).Required("reason", r.Reason, 2000);
        if (r.Amount == 0) v.Error("amount", "must not be zero");
        if (r.CorrectsPeriod is not null) v.Period("correctsPeriod", r.CorrectsPeriod);
        if (v.Failed) return v.Problem();
        var change = db.BeginChange(Actor.From(user), time);
        await change.LockBillingAsync(ct);
        if (await db.ClosedPeriods.AnyAsync(p => p.Period == period, ct))
            return Problems.Conflict($"{period} is closed and cannot change; book the correction in an open month with correctsPeriod = {period}.");
        var adjustment = new Adjustment
        {
            Id = $"adj-{Guid.CreateVersion7(change.Now):N}"[..24], Period = period, CostCentre = r.CostCentre.Trim(), Amount = r.Amount, Currency = r.Currency,
            Reason = r.Reason.Trim(), CorrectsPeriod = r.CorrectsPeriod, CreatedBy = change.Actor.Id, CreatedAt = change.Now,
        };
        db.Adjustments.Add(adjustment);
        change.Audit("statement.adjust", "statement", period, null, ToDto(adjustment));
        await change.CommitAsync(bumpsRevision: false, ct);
        return TypedResults.Created($"/api/statements/{period}", ToDto(adjustment));
    }
}
