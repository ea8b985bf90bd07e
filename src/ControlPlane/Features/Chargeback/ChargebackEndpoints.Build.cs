using Gateway.Contracts.Admin;
using Gateway.ControlPlane.Data;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.Chargeback;

internal static partial class ChargebackEndpoints
{
    /// <summary>The month's statement: frozen lines when closed, the ledger otherwise, plus adjustments.</summary>
    internal static async Task<StatementDto> BuildAsync(GatewayDbContext db, string period, CancellationToken ct)
    {
        var closed = await db.ClosedPeriods.AsNoTracking().FirstOrDefaultAsync(p => p.Period == period, ct);
        var lines = closed is null
            ? await LedgerLinesAsync(db, period, ct)
            : await db.StatementLines.AsNoTracking().Where(l => l.Period == period).ToListAsync(ct);
        var adjustments = await db.Adjustments.AsNoTracking().Where(a => a.Period == period).OrderBy(a => a.CreatedAt).ToListAsync(ct);

        var keys = lines.Select(l => (l.CostCentre, l.Currency)).Concat(adjustments.Select(a => (a.CostCentre, a.Currency))).Distinct()
            .OrderBy(k => k.CostCentre, StringComparer.Ordinal).ThenBy(k => k.Currency, StringComparer.Ordinal);
        var centres = keys.Select(k =>
        {
            var own = lines.Where(l => l.CostCentre == k.CostCentre && l.Currency == k.Currency).ToList();
            var usage = own.Sum(l => l.Cost);
            var adjusted = adjustments.Where(a => a.CostCentre == k.CostCentre && a.Currency == k.Currency).Sum(a => a.Amount);
            return new StatementCostCentreDto(k.CostCentre, k.Currency, own.Sum(l => l.Requests), own.Sum(l => l.InputTokens), own.Sum(l => l.CachedInputTokens),
                own.Sum(l => l.OutputTokens), usage, adjusted, usage + adjusted,
                [.. own.OrderBy(l => l.TeamId, StringComparer.Ordinal).ThenBy(l => l.ModelVersion, StringComparer.Ordinal)
                    .Select(l => new StatementLineDto(l.TeamId, l.ModelVersion, l.Requests, l.InputTokens, l.CachedInputTokens, l.OutputTokens, l.Cost))]);
        }).ToList();
        var totals = centres.GroupBy(c => c.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new MoneyTotal(g.Key, g.Sum(c => c.Total))).ToList();
        return new StatementDto(period, closed is not null, closed?.ClosedAt, closed?.ClosedBy, centres, [.. adjustments.Select(ToDto)], totals);
    }

    /// <summary>The ledger's lines of a month: cost centre × team × model version × currency, summed in SQL (in memory on SQLite: <see cref="SqliteSums"/>).</summary>
    internal static async Task<List<StatementLine>> LedgerLinesAsync(GatewayDbContext db, string period, CancellationToken ct)
    {
        var rows = await db.UsageEntries.Where(u => u.BillingPeriod == period)
            .Select(u => new { u.CostCentre, u.TeamId, u.ModelVersion, u.Currency, u.InputTokens, u.CachedInputTokens, u.OutputTokens, u.Cost })
            .AggregateAsync(db, q => q
                .GroupBy(u => new { u.CostCentre, u.TeamId, u.ModelVersion, u.Currency })
                .Select(g => new
                {
                    g.Key.CostCentre, g.Key.TeamId, g.Key.ModelVersion, g.Key.Currency, Requests = g.LongCount(),
                    Input = g.Sum(u => u.InputTokens), Cached = g.Sum(u => u.CachedInputTokens), Output = g.Sum(u => u.OutputTokens), Cost = g.Sum(u => u.Cost),
                }), ct);
        return [.. rows.Select(r => new StatementLine
        {
            Period = period, CostCentre = r.CostCentre, TeamId = r.TeamId, ModelVersion = r.ModelVersion, Currency = r.Currency,
            Requests = r.Requests, InputTokens = r.Input, CachedInputTokens = r.Cached, OutputTokens = r.Output, Cost = r.Cost,
        })];
    }

    private static AdjustmentDto ToDto(Adjustment a) => new(a.Id, a.Period, a.CostCentre, a.Amount, a.Currency, a.Reason, a.CorrectsPeriod, a.CreatedBy, a.CreatedAt);
}
