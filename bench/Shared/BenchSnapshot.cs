using Gateway.Contracts.Demo;
using Gateway.Contracts.Keys;
using Gateway.Contracts.Snapshot;

namespace Gateway.Bench;

/// <summary>
/// The benchmark's snapshot, shared by LoadGen (arm C's snapshot file) and the micro-benchmarks:
/// the demo catalog pointed at the benchmark's MockLlm, limits and budgets switched on at every
/// scope but far above what a benchmark can reach (so every policy runs and none rejects), one
/// benchmark key allowed every subscription, and <c>extraKeys</c> more keys (F4 measures idle
/// memory with 10,000). Keys are generated fresh: nothing secret is committed.
/// </summary>
internal static class BenchSnapshot
{
    public static readonly LimitSpec Unbounded = new(RequestsPerMinute: 1_000_000_000, TokensPerMinute: 2_000_000_000, MaxConcurrent: 1_000_000);

    public static (GatewaySnapshot Snapshot, string BenchKey) Create(string mockUrl, int extraKeys)
    {
        var demo = DemoCatalog.Snapshot(mockUrl);
        var subscriptions = new List<SubscriptionSpec>(demo.Subscriptions.Count);
        var subscriptionIds = new List<string>(demo.Subscriptions.Count);
        foreach (var s in demo.Subscriptions)
        {
            subscriptions.Add(s with { Limits = Unbounded, Budget = new BudgetSpec(MonthlyTokens: 1_000_000_000_000_000, MonthlyAmount: 1_000_000_000m, Currency: "USD") });
            subscriptionIds.Add(s.Id);
        }
        var benchKey = ApiKeyFormat.Generate();
        var expiry = DateTimeOffset.UtcNow.AddYears(1);
        var keys = new List<ApiKeySpec>(extraKeys + 1)
        {
            new(KeyIdOf(benchKey), ApiKeyFormat.HashToHex(benchKey), DemoCatalog.TeamId, "bench", expiry, subscriptionIds) { Limits = Unbounded },
        };
        var ids = new HashSet<string>(StringComparer.Ordinal) { keys[0].KeyId };
        while (keys.Count < extraKeys + 1)
        {
            var key = ApiKeyFormat.Generate();
            if (!ids.Add(KeyIdOf(key))) continue;
            keys.Add(new ApiKeySpec(KeyIdOf(key), ApiKeyFormat.HashToHex(key), DemoCatalog.TeamId, $"app-{keys.Count}", expiry, [subscriptionIds[0]]));
        }
        var teams = new List<TeamSpec>(demo.Teams.Count);
        foreach (var t in demo.Teams) teams.Add(t with { Limits = Unbounded });
        var snapshot = demo with
        {
            Revision = 1,
            IssuedAt = DateTimeOffset.UtcNow,
            Teams = teams,
            Subscriptions = subscriptions,
            Keys = keys,
        };
        return (snapshot, benchKey);
    }

    private static string KeyIdOf(string key) => ApiKeyFormat.TryGetKeyId(key, out var id) ? id.ToString() : throw new InvalidOperationException("generated key is malformed");
}
