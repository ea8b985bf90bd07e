using System.Globalization;
using System.Security.Claims;
using Gateway.Contracts.Admin;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.Usage;

/// <summary>
/// <c>/api/usage</c>: the ledger (records) and the hourly rollups grouped by team, cost centre,
/// model version, subscription, day or month. Developers see their teams'; finance and admins all.
/// </summary>
internal static class UsageEndpoints
{
    private static readonly SortMap<UsageEntry> RecordSorts = new SortMap<UsageEntry>("timestamp", u => u.Id)
        .Add("timestamp", u => u.Timestamp).Add("cost", u => u.Cost).Add("totalTokens", u => u.InputTokens + u.OutputTokens);

    private static readonly Dictionary<string, Func<UsageSummaryRow, object?>> SummarySorts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["key"] = r => r.Key, ["cost"] = r => r.Cost, ["requests"] = r => r.Requests, ["totalTokens"] = r => r.TotalTokens,
    };

    private static readonly SortMap<UsageSummaryRow> SummarySortNames = new SortMap<UsageSummaryRow>("key", r => r.Key)
        .Add("key", r => r.Key).Add("cost", r => r.Cost).Add("requests", r => r.Requests).Add("totalTokens", r => r.TotalTokens);

    public static void MapUsageEndpoints(this IEndpointRouteBuilder app)
    {
        var usage = app.MapGroup("/api/usage").WithTags("Usage").RequireAuthorization(Policies.UsageReaders);
        usage.MapGet("/records", ListRecordsAsync);
        usage.MapGet("/summary", SummaryAsync);
    }

    private static async Task<Results<Ok<PagedResult<UsageRecordDto>>, ValidationProblem>> ListRecordsAsync(
        [AsParameters] UsageRecordQuery q, ClaimsPrincipal user, GatewayDbContext db, CancellationToken ct)
    {
        var v = new Validation();
        var page = PageRequest.From(q.Page, q.PageSize, q.Sort, q.Order, RecordSorts, v, SortOrder.Desc);
        if (q.From is { } f && q.To is { } t && t <= f) v.Error("to", "must be after from");
        if (v.Failed) return v.Problem();
        var query = db.UsageEntries.AsNoTracking();
        if (!user.SeesAllTeams())
        {
            var mine = await db.TeamIdsAsync(user, ct);
            query = query.Where(u => mine.Contains(u.TeamId));
        }
        if (q.From is { } from) query = query.Where(u => u.Timestamp >= from);
        if (q.To is { } to) query = query.Where(u => u.Timestamp < to);
        if (!string.IsNullOrWhiteSpace(q.TeamId)) query = query.Where(u => u.TeamId == q.TeamId);
        if (!string.IsNullOrWhiteSpace(q.CostCentre)) query = query.Where(u => u.CostCentre == q.CostCentre);
        if (!string.IsNullOrWhiteSpace(q.KeyId)) query = query.Where(u => u.KeyId == q.KeyId);
        if (!string.IsNullOrWhiteSpace(q.SubscriptionId)) query = query.Where(u => u.SubscriptionId == q.SubscriptionId);
        if (!string.IsNullOrWhiteSpace(q.ModelVersion)) query = query.Where(u => u.ModelVersion == q.ModelVersion);
        return TypedResults.Ok(await query.ToPageAsync(page, RecordSorts, u => new UsageRecordDto(
            u.RequestId, u.Timestamp, u.KeyId, u.TeamId, u.CostCentre, u.SubscriptionId, u.ModelAlias, u.ModelVersion, u.DeploymentId, u.Operation,
            u.Streamed, u.InputTokens, u.CachedInputTokens, u.OutputTokens, u.Cost, u.Currency, u.Status, u.Outcome, u.Estimated, u.LatencyMs, u.BillingPeriod), ct));
    }

    private static async Task<Results<Ok<PagedResult<UsageSummaryRow>>, ValidationProblem>> SummaryAsync(
        [AsParameters] UsageSummaryQuery q, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation();
        var page = PageRequest.From(q.Page, q.PageSize, q.Sort, q.Order, SummarySortNames, v);
        var grouping = QueryEnums.Parse<UsageGrouping>(v, "groupBy", q.GroupBy) ?? UsageGrouping.Team;
        var to = q.To ?? time.GetUtcNow().AddHours(1);
        var from = q.From ?? (to > DateTimeOffset.MinValue.AddDays(31) ? to.AddDays(-31) : DateTimeOffset.MinValue); // a 'to' in year 1 has no 31 days before it
        if (to <= from) v.Error("to", "must be after from");
        if (v.Failed) return v.Problem();

        var query = db.UsageHourly.AsNoTracking().Where(h => h.HourStart >= Rollups.HourOf(from) && h.HourStart < to);
        if (!user.SeesAllTeams())
        {
            var mine = await db.TeamIdsAsync(user, ct);
            query = query.Where(h => mine.Contains(h.TeamId));
        }
        if (!string.IsNullOrWhiteSpace(q.TeamId)) query = query.Where(h => h.TeamId == q.TeamId);
        if (!string.IsNullOrWhiteSpace(q.CostCentre)) query = query.Where(h => h.CostCentre == q.CostCentre);
        if (!string.IsNullOrWhiteSpace(q.ModelVersion)) query = query.Where(h => h.ModelVersion == q.ModelVersion);

        var rows = grouping is UsageGrouping.Day or UsageGrouping.Month
            ? await ByTimeAsync(db, query, grouping == UsageGrouping.Day ? "yyyy-MM-dd" : "yyyy-MM", ct)
            : await ByKeyAsync(db, query, grouping, ct);
        return TypedResults.Ok(rows.ToPage(page, SummarySorts));
    }

    /// <summary>Groups in SQL by the chosen column (a CASE on a parameter) and currency (in memory on SQLite: <see cref="SqliteSums"/>).</summary>
    private static async Task<List<UsageSummaryRow>> ByKeyAsync(GatewayDbContext db, IQueryable<UsageHourly> query, UsageGrouping grouping, CancellationToken ct)
    {
        var g = (int)grouping;
        var rows = await query
            .Select(h => new
            {
                Key = g == (int)UsageGrouping.Team ? h.TeamId : g == (int)UsageGrouping.CostCentre ? h.CostCentre : g == (int)UsageGrouping.ModelVersion ? h.ModelVersion : h.SubscriptionId,
                h.Currency, h.Requests, h.InputTokens, h.CachedInputTokens, h.OutputTokens, h.Cost,
            })
            .AggregateAsync(db, q => q
                .GroupBy(h => new { h.Key, h.Currency })
                .Select(x => new
                {
                    x.Key.Key, x.Key.Currency, Requests = x.Sum(h => h.Requests), Input = x.Sum(h => h.InputTokens),
                    Cached = x.Sum(h => h.CachedInputTokens), Output = x.Sum(h => h.OutputTokens), Cost = x.Sum(h => h.Cost),
                }), ct);
        return [.. rows.Select(r => new UsageSummaryRow(r.Key, r.Currency, r.Requests, r.Input, r.Cached, r.Output, r.Input + r.Output, r.Cost))];
    }

    /// <summary>Day and month groups: summed per hour in SQL, then folded by calendar day or month.</summary>
    private static async Task<List<UsageSummaryRow>> ByTimeAsync(GatewayDbContext db, IQueryable<UsageHourly> query, string format, CancellationToken ct)
    {
        var hourly = await query.AggregateAsync(db, q => q.GroupBy(h => new { h.HourStart, h.Currency }).Select(g => new
        {
            g.Key.HourStart, g.Key.Currency, Requests = g.Sum(h => h.Requests), Input = g.Sum(h => h.InputTokens),
            Cached = g.Sum(h => h.CachedInputTokens), Output = g.Sum(h => h.OutputTokens), Cost = g.Sum(h => h.Cost),
        }), ct);
        return [.. hourly.GroupBy(h => (Key: h.HourStart.ToString(format, CultureInfo.InvariantCulture), h.Currency)).Select(g => new UsageSummaryRow(
            g.Key.Key, g.Key.Currency, g.Sum(h => h.Requests), g.Sum(h => h.Input), g.Sum(h => h.Cached), g.Sum(h => h.Output),
            g.Sum(h => h.Input + h.Output), g.Sum(h => h.Cost)))];
    }
}
