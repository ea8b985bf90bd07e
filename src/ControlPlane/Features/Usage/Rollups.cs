using Gateway.ControlPlane.Data;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.Usage;

/// <summary>Hourly rollups per team × subscription × model version × currency, updated with each insert.</summary>
internal static class Rollups
{
    public static async Task AddAsync(GatewayDbContext db, IReadOnlyList<UsageEntry> entries, CancellationToken cancellationToken)
    {
        var groups = entries.GroupBy(e => (Hour: HourOf(e.Timestamp), e.TeamId, Sub: e.SubscriptionId ?? "", e.ModelVersion, e.Currency)).ToList();
        var hours = groups.Select(g => g.Key.Hour).Distinct().ToList();
        var teams = groups.Select(g => g.Key.TeamId).Distinct().ToList();
        var existing = await db.UsageHourly.Where(h => hours.Contains(h.HourStart) && teams.Contains(h.TeamId)).ToListAsync(cancellationToken);
        var byKey = existing.ToDictionary(h => (h.HourStart, h.TeamId, h.SubscriptionId, h.ModelVersion, h.Currency));
        foreach (var g in groups)
        {
            if (!byKey.TryGetValue(g.Key, out var row))
            {
                row = new UsageHourly
                {
                    HourStart = g.Key.Hour, TeamId = g.Key.TeamId, SubscriptionId = g.Key.Sub, ModelVersion = g.Key.ModelVersion,
                    Currency = g.Key.Currency, CostCentre = g.First().CostCentre,
                };
                db.UsageHourly.Add(row);
                byKey[g.Key] = row;
            }
            row.Requests += g.Count();
            row.InputTokens += g.Sum(e => e.InputTokens);
            row.CachedInputTokens += g.Sum(e => e.CachedInputTokens);
            row.OutputTokens += g.Sum(e => e.OutputTokens);
            row.Cost += g.Sum(e => e.Cost);
        }
    }

    public static DateTimeOffset HourOf(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
