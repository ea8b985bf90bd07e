using System.Diagnostics.Metrics;
using Gateway.Contracts.Demo;
using Gateway.ControlPlane.Infrastructure;
using Gateway.ControlPlane.Tests.Infrastructure;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// <c>gateway.subscription.budget.used</c>: for every subscription with a monthly budget, the share
/// of it this month's settled usage has used, per budget (tokens, money), from the usage the
/// proxies ship; what finance and the teams alert on before the proxies start refusing.
/// On a control plane of its own, since it ships usage.
/// </summary>
[Collection(BudgetMetricsCollection.Name)]
public sealed class BudgetMetricsTests(BudgetMetricsFixture fixture)
{
    [Fact]
    public async Task EachBudget_ReportsTheShareItsSettledUsageUsed_AsUsageArrives()
    {
        fixture.Require();
        var factory = fixture.App.Services.GetRequiredService<IMeterFactory>();
        using var collector = new MetricCollector<double>(factory, ControlPlaneMetrics.MeterName, ControlPlaneMetrics.BudgetUsed);
        var subscription = DemoCatalog.SubscriptionId("gpt-4o");

        // Every budgeted demo subscription (50,000,000 tokens and 500 USD a month), none used yet,
        // once the first snapshot is published.
        await Eventually.HoldsAsync(() => Read(collector).Count > 0, TimeSpan.FromSeconds(15), "the first snapshot published");
        var before = Read(collector);
        Assert.Equal(DemoCatalog.Models.Count * 2, before.Count);
        Assert.All(before.Values, v => Assert.Equal(0, v));
        var tags = collector.LastMeasurement!.Tags;
        Assert.Equal(DemoCatalog.TeamId, tags["gateway.team"]);
        Assert.Equal(DemoCatalog.CostCentre, tags["gateway.cost_centre"]);

        // A tenth of the tokens and a quarter of the money, this month.
        await UsageShipping.ShipAsync(fixture, UsageShipping.Batch(
            UsageShipping.Record(DemoCatalog.TeamId, DateTimeOffset.UtcNow, 100m, input: 3_000_000, output: 1_000_000, subscriptionId: subscription),
            UsageShipping.Record(DemoCatalog.TeamId, DateTimeOffset.UtcNow, 25m, input: 900_000, output: 100_000, subscriptionId: subscription)));
        await Eventually.HoldsAsync(() => Read(collector).GetValueOrDefault((subscription, "money")) > 0, TimeSpan.FromSeconds(15), "the usage settled into the snapshot");

        var after = Read(collector);
        Assert.Equal(0.1, after[(subscription, "tokens")], 9);
        Assert.Equal(0.25, after[(subscription, "money")], 9);
        Assert.Equal(0, after[(DemoCatalog.SubscriptionId("gpt-4o-mini"), "tokens")]);
    }

    private static Dictionary<(string Subscription, string Budget), double> Read(MetricCollector<double> collector)
    {
        collector.Clear();
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot().ToDictionary(m => ((string)m.Tags["gateway.subscription"]!, (string)m.Tags["gateway.budget"]!), m => m.Value);
    }
}

public sealed class BudgetMetricsFixture() : ConfiguredSqliteFixture;

[CollectionDefinition(Name)]
public sealed class BudgetMetricsCollection : ICollectionFixture<BudgetMetricsFixture>
{
    public const string Name = "ControlPlane on SQLite, for budget metrics";
}
