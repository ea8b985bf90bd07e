using Gateway.Contracts.Snapshot;
using Gateway.Contracts.Usage;
using Gateway.Proxy.Tests.Admission;
using Gateway.Proxy.Tests.Usage;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.Proxy.Tests.Infrastructure;

/// <summary>What the tests that send bad input in bulk share: a proxy with every policy on, and the check that it logged no error.</summary>
internal static class Fuzzing
{
    /// <summary>The snapshot with every admission policy on: the first key with request, token and concurrency limits, every subscription with a token and a money budget (all far from reached).</summary>
    public static GatewaySnapshot EveryPolicy(GatewaySnapshot snapshot) => snapshot with
    {
        Keys = [snapshot.Keys[0] with { Limits = new LimitSpec(RequestsPerMinute: 1_000_000, TokensPerMinute: 2_000_000_000, MaxConcurrent: 1000) }, .. snapshot.Keys.Skip(1)],
        Subscriptions = [.. snapshot.Subscriptions.Select(s => s with { Budget = new BudgetSpec(MonthlyTokens: 1_000_000_000_000, MonthlyAmount: 1_000_000_000m, Currency: "USD") })],
    };

    /// <summary>A proxy on <paramref name="snapshot"/> whose log is collected from the moment the snapshot is in (start-up's own lines are dropped).</summary>
    public static async Task<(ProxyHost Proxy, FakeLogCollector Logs)> StartAsync(GatewaySnapshot snapshot)
    {
        var proxy = await ProxyHost.StartAsync(snapshot, configure: builder => builder.Logging.AddFakeLogging());
        var logs = proxy.App.Services.GetRequiredService<FakeLogCollector>();
        logs.Clear();
        return (proxy, logs);
    }

    /// <summary>
    /// Once every reservation is settled (none left outstanding), the ledger's records as soon as it
    /// holds <paramref name="expected"/>: exactly that many, and one per request id.
    /// </summary>
    public static async Task<List<UsageRecord>> LedgerAsync(ProxyHost proxy, int expected)
    {
        await proxy.SettledAsync();
        await Eventually.HoldsAsync(() => Ledger.Read(proxy.DataDirectory).Count >= expected, TimeSpan.FromSeconds(30), $"{expected} ledger records");
        var records = Ledger.Read(proxy.DataDirectory);
        Assert.Equal(expected, records.Count);
        Assert.Equal(expected, records.Select(r => r.RequestId).Distinct().Count()); // none counted twice
        return records;
    }

    public static void AssertNoErrorsLogged(FakeLogCollector logs)
    {
        var errors = logs.GetSnapshot().Where(l => l.Level >= LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, "the proxy logged errors:\n" + string.Join("\n", errors.Take(10).Select(e => $"{e.Category}: {e.Message} {e.Exception}")));
    }
}
