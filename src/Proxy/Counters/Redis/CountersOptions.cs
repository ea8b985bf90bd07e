using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Counters.Redis;

/// <summary>Where the admission counters live (section <c>Proxy:Counters</c>).</summary>
internal enum CounterStore
{
    /// <summary>Exact counters in this process (one node).</summary>
    InProcess,

    /// <summary>Exact counters shared by every proxy in one Redis (many nodes).</summary>
    Redis,
}

/// <summary>What a class of limits does while Redis cannot be reached.</summary>
internal enum CounterFailureMode
{
    /// <summary>Enforce the limit on local counters, each proxy its share (limit ÷ live proxies).</summary>
    FailOpen,

    /// <summary>Refuse the request: 503 <c>gateway_unavailable</c>.</summary>
    FailClosed,
}

/// <summary>The admission counters' settings (section <c>Proxy:Counters</c>).</summary>
internal sealed class CountersOptions : IValidatableObject
{
    public const string Section = "Proxy:Counters";

    public CounterStore Store { get; set; } = CounterStore.InProcess;

    public RedisCountersOptions Redis { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Store != CounterStore.Redis) yield break;
        const string p = "Proxy:Counters:Redis:";
        if (string.IsNullOrWhiteSpace(Redis.Configuration))
            yield return new ValidationResult(p + "Configuration (a StackExchange.Redis configuration string, e.g. \"redis:6379,password=…\") is required when Proxy:Counters:Store is Redis.", ["Redis.Configuration"]);
        if (string.IsNullOrEmpty(Redis.KeyPrefix) || Redis.KeyPrefix.Length > 64)
            yield return new ValidationResult(p + "KeyPrefix must be 1 to 64 characters.", ["Redis.KeyPrefix"]);
        if (Redis.TimeoutMilliseconds is < 10 or > 60_000)
            yield return new ValidationResult(p + "TimeoutMilliseconds must be between 10 and 60000.", ["Redis.TimeoutMilliseconds"]);
        if (Redis.ConnectTimeoutMilliseconds is < 100 or > 60_000)
            yield return new ValidationResult(p + "ConnectTimeoutMilliseconds must be between 100 and 60000.", ["Redis.ConnectTimeoutMilliseconds"]);
        if (Redis.ProbeIntervalMilliseconds is < 50 or > 60_000)
            yield return new ValidationResult(p + "ProbeIntervalMilliseconds must be between 50 and 60000.", ["Redis.ProbeIntervalMilliseconds"]);
        if (Redis.LeaseSeconds is < 10 or > 86_400)
            yield return new ValidationResult(p + "LeaseSeconds must be between 10 and 86400.", ["Redis.LeaseSeconds"]);
        if (Redis.MaxPendingOperations is < 0 or > 10_000_000)
            yield return new ValidationResult(p + "MaxPendingOperations must be between 0 and 10000000.", ["Redis.MaxPendingOperations"]);
        if (!Enum.IsDefined(Redis.OnFailure.RateLimits) || !Enum.IsDefined(Redis.OnFailure.Budgets))
            yield return new ValidationResult(p + "OnFailure:RateLimits and OnFailure:Budgets must be FailOpen or FailClosed.", ["Redis.OnFailure"]);
    }
}

/// <summary>The Redis store (section <c>Proxy:Counters:Redis</c>).</summary>
internal sealed class RedisCountersOptions
{
    /// <summary>A StackExchange.Redis configuration string (<c>host:6379,password=…,ssl=true</c>); a secret when it holds a password: pass it by environment or a mounted secret, never in a committed file.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key this gateway writes (so one Redis can serve several environments).</summary>
    public string KeyPrefix { get; set; } = "gw:";

    /// <summary>Longest wait for one Redis call before it counts as a failure and the request falls back.</summary>
    public int TimeoutMilliseconds { get; set; } = 250;

    /// <summary>Longest wait for a (re)connection attempt.</summary>
    public int ConnectTimeoutMilliseconds { get; set; } = 2000;

    /// <summary>How often an unreachable Redis is probed (and how often queued settlements are flushed).</summary>
    public int ProbeIntervalMilliseconds { get; set; } = 1000;

    /// <summary>How long a concurrency slot outlives its last renewal (a crashed proxy's slots free themselves after this); renewed every third of it while the request runs.</summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Settlements queued while Redis is down, replayed when it returns; beyond this they are dropped and counted.</summary>
    public int MaxPendingOperations { get; set; } = 1_000_000;

    public RedisFailureOptions OnFailure { get; set; } = new();
}

/// <summary>Per class of limit: what happens while Redis is unreachable.</summary>
internal sealed class RedisFailureOptions
{
    /// <summary>Requests/min, tokens/min and concurrency limits (key, subscription, team).</summary>
    public CounterFailureMode RateLimits { get; set; } = CounterFailureMode.FailOpen;

    /// <summary>Monthly token and money budgets.</summary>
    public CounterFailureMode Budgets { get; set; } = CounterFailureMode.FailClosed;
}

/// <summary>
/// The data annotations of <see cref="CountersOptions"/> (and its <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>
/// rules), checked by code generated at compile time rather than by reflection, so they hold in a
/// trimmed or Native AOT build too.
/// </summary>
[OptionsValidator]
internal sealed partial class CountersOptionsDataAnnotations : IValidateOptions<CountersOptions>;
