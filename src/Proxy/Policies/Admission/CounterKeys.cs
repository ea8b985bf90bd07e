using System.Collections.Concurrent;
using Gateway.Proxy.Counters;

namespace Gateway.Proxy.Policies.Admission;

/// <summary>
/// Counter key names per scope and id (<c>key:{id}:rpm</c>, <c>sub:{id}:budget-tokens</c>, …),
/// built once per id so the hot path does not concatenate strings.
/// </summary>
internal sealed class CounterKeys
{
    private static readonly ConcurrentDictionary<string, CounterKeys>[] Cache = [new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal)];

    private CounterKeys(string prefix, string id)
    {
        Requests = $"{prefix}:{id}:rpm";
        Tokens = $"{prefix}:{id}:tpm";
        Concurrency = $"{prefix}:{id}:concurrent";
        BudgetTokens = $"{prefix}:{id}:budget-tokens";
        BudgetMoney = $"{prefix}:{id}:budget-money";
    }

    public string Requests { get; }

    public string Tokens { get; }

    public string Concurrency { get; }

    public string BudgetTokens { get; }

    public string BudgetMoney { get; }

    public static CounterKeys For(CounterScope scope, string id)
    {
        var cache = Cache[(int)scope];
        if (cache.TryGetValue(id, out var keys)) return keys;
        var prefix = scope switch
        {
            CounterScope.Key => "key",
            CounterScope.Subscription => "sub",
            _ => "team",
        };
        return cache.GetOrAdd(id, static (id, prefix) => new CounterKeys(prefix, id), prefix);
    }
}
