using Gateway.Contracts.Demo;
using Gateway.Contracts.Keys;
using Gateway.Contracts.Snapshot;

namespace Gateway.Bench.LoadGen;

/// <summary>
/// Writes the benchmark's snapshot file: the demo catalog pointed at the benchmark's MockLlm,
/// limits and budgets switched on but far above what a benchmark can reach (so every policy runs
/// and none rejects), plus <c>--keys</c> extra keys (F4 measures idle memory with 10,000). The
/// benchmark key is generated fresh and written to <c>--key-out</c>; nothing secret is committed.
/// </summary>
internal static class SnapshotGen
{
    public static int Run(Options o)
    {
        var mock = o.Required("mock");
        var extraKeys = o.Int("keys", 10_000);
        var demo = DemoCatalog.Snapshot(mock);
        var unbounded = new LimitSpec(RequestsPerMinute: 1_000_000_000, TokensPerMinute: 2_000_000_000, MaxConcurrent: 1_000_000);
        var subscriptions = demo.Subscriptions
            .Select(s => s with { Limits = unbounded, Budget = new BudgetSpec(MonthlyTokens: 1_000_000_000_000_000, MonthlyAmount: 1_000_000_000m, Currency: "USD") })
            .ToList();
        var benchKey = ApiKeyFormat.Generate();
        var keys = new List<ApiKeySpec>(extraKeys + 1)
        {
            new(benchKey[6..18], ApiKeyFormat.HashToHex(benchKey), DemoCatalog.TeamId, "bench", DateTimeOffset.UtcNow.AddYears(1), [.. subscriptions.Select(s => s.Id)])
            {
                Limits = unbounded,
            },
        };
        var ids = new HashSet<string>(StringComparer.Ordinal) { keys[0].KeyId };
        while (keys.Count < extraKeys + 1)
        {
            var key = ApiKeyFormat.Generate();
            if (!ids.Add(key[6..18])) continue;
            keys.Add(new ApiKeySpec(key[6..18], ApiKeyFormat.HashToHex(key), DemoCatalog.TeamId, $"app-{keys.Count}", DateTimeOffset.UtcNow.AddYears(1), [subscriptions[0].Id]));
        }
        var snapshot = demo with
        {
            Revision = 1,
            IssuedAt = DateTimeOffset.UtcNow,
            Teams = [.. demo.Teams.Select(t => t with { Limits = unbounded })],
            Subscriptions = subscriptions,
            Keys = keys,
        };
        var errors = SnapshotValidator.Validate(snapshot);
        if (errors.Count > 0)
        {
            foreach (var e in errors) Console.Error.WriteLine(e);
            return 1;
        }
        File.WriteAllBytes(o.Required("out"), SnapshotJson.SerializeToUtf8Bytes(snapshot));
        File.WriteAllText(o.Required("key-out"), benchKey);
        Console.Error.WriteLine($"snapshot: {keys.Count} keys, {snapshot.Models.Count} models -> {o.Get("out")}");
        return 0;
    }
}
