using StackExchange.Redis;

namespace Gateway.Proxy.Counters.Redis;

/// <summary>One operation of <see cref="RedisScripts.Apply"/>: a settlement, release, adjustment or lease renewal.</summary>
internal readonly record struct PendingOperation(string Op, RedisKey Key, long Amount, long TtlMs, string? Member)
{
    /// <summary>Remove a concurrency lease.</summary>
    public const string RemoveLease = "z";

    /// <summary>Add to a window counter if it still exists, never below zero.</summary>
    public const string AddIfExists = "a";

    /// <summary>Add to a window counter, creating it with its TTL.</summary>
    public const string AddOrCreate = "c";

    /// <summary>Push a live lease's expiry forward.</summary>
    public const string RenewLease = "r";
}
