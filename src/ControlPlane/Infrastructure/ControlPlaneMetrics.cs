using System.Diagnostics.Metrics;
using System.Globalization;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Features.Snapshots;

namespace Gateway.ControlPlane.Infrastructure;

/// <summary>The control plane's metrics (IMeterFactory).</summary>
internal sealed class ControlPlaneMetrics
{
    public const string MeterName = "Gateway.ControlPlane";

    /// <summary>The share of a monthly budget used, by subscription (see <see cref="BudgetUse"/>).</summary>
    public const string BudgetUsed = "gateway.subscription.budget.used";

    private readonly Counter<long> _usageInserted;
    private readonly Counter<long> _usageDuplicates;
    private readonly Counter<long> _usageRejected;
    private readonly Counter<long> _snapshotsPublished;

    public ControlPlaneMetrics(IMeterFactory meterFactory, SnapshotHub snapshots, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _usageInserted = meter.CreateCounter<long>("gateway.usage.records.inserted", "{record}", "Usage records inserted into the ledger");
        _usageDuplicates = meter.CreateCounter<long>("gateway.usage.records.duplicates", "{record}", "Replayed usage records ignored");
        _usageRejected = meter.CreateCounter<long>("gateway.usage.records.quarantined", "{record}", "Malformed usage records quarantined");
        _snapshotsPublished = meter.CreateCounter<long>("gateway.snapshot.published", "{snapshot}", "Snapshot revisions compiled and published");
        meter.CreateObservableGauge(BudgetUsed, () => BudgetUse(snapshots.Current?.Snapshot, time.GetUtcNow()), "1",
            "Share of each budgeted subscription's monthly budget its settled usage has used (1: all of it), by budget (tokens, money)");
    }

    public void UsageShipped(int inserted, int duplicates, int rejected)
    {
        _usageInserted.Add(inserted);
        _usageDuplicates.Add(duplicates);
        _usageRejected.Add(rejected);
    }

    public void SnapshotPublished() => _snapshotsPublished.Add(1);

    /// <summary>
    /// For each subscription with a monthly budget in the snapshot in force: its settled usage of
    /// this month (the ledger's, as the snapshot carries it to the proxies) over the budget, one
    /// measurement per budget it has (tokens, money). Read from the published snapshot, so a scrape
    /// never touches the database.
    /// </summary>
    internal static IEnumerable<Measurement<double>> BudgetUse(GatewaySnapshot? snapshot, DateTimeOffset now)
    {
        if (snapshot is null) yield break;
        var period = now.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var costCentres = snapshot.Teams.ToDictionary(t => t.Id, t => t.CostCentre, StringComparer.Ordinal);
        foreach (var s in snapshot.Subscriptions)
        {
            if (s.Budget is not { } budget) continue;
            var usage = s.Usage is { } u && u.Period == period ? u : null;
            if (budget.MonthlyTokens is { } tokens and > 0)
                yield return new((double)(usage?.Tokens ?? 0) / tokens, Tags(s, costCentres, "tokens"));
            if (budget.MonthlyAmount is { } amount and > 0)
                yield return new((double)((usage?.Amount ?? 0m) / amount), Tags(s, costCentres, "money"));
        }
    }

    private static KeyValuePair<string, object?>[] Tags(SubscriptionSpec s, Dictionary<string, string> costCentres, string budget) =>
    [
        new("gateway.subscription", s.Id), new("gateway.team", s.TeamId), new("gateway.cost_centre", costCentres.GetValueOrDefault(s.TeamId)),
        new("gateway.model", s.ModelAlias), new("gateway.budget", budget),
    ];
}
