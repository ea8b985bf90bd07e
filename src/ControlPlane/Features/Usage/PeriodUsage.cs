using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.Usage;

/// <summary>The current month's settled usage per subscription, from the hourly rollups.</summary>
internal static class PeriodUsage
{
    /// <param name="subscriptionIds">Null: every subscription.</param>
    public static async Task<Dictionary<string, PeriodUsageSpec>> ForSubscriptionsAsync(
        GatewayDbContext db, IReadOnlyCollection<string>? subscriptionIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var period = Periods.Of(now);
        Periods.TryParse(period, out var start);
        var end = start.AddMonths(1);
        var query = db.UsageHourly.Where(h => h.HourStart >= start && h.HourStart < end && h.SubscriptionId != "");
        if (subscriptionIds is not null) query = query.Where(h => subscriptionIds.Contains(h.SubscriptionId));
        // Summed in memory on SQLite (SqliteSums): its SUM failing here stopped every snapshot from being compiled.
        var rows = await query.Select(h => new { h.SubscriptionId, h.InputTokens, h.OutputTokens, h.Cost }).AggregateAsync(db, q => q
            .GroupBy(h => h.SubscriptionId)
            .Select(g => new { Id = g.Key, Tokens = g.Sum(h => h.InputTokens + h.OutputTokens), Amount = g.Sum(h => h.Cost) }), cancellationToken);
        return rows.ToDictionary(r => r.Id, r => new PeriodUsageSpec(period, r.Tokens, r.Amount), StringComparer.Ordinal);
    }
}
