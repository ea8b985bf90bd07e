namespace Gateway.Proxy.Counters.Redis;

internal sealed partial class RedisAdmissionCounters
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Redis counters at {Endpoints} unreachable ({Reason}): admission falls back (rate limits {RateLimits}, budgets {Budgets}) until Redis answers again")]
    private partial void LogUnavailable(string endpoints, string reason, string rateLimits, string budgets);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Redis counters at {Endpoints} reachable again after {Seconds} s: admission uses the shared counters")]
    private partial void LogRecovered(string endpoints, string seconds);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Redis counters: {Count} settlements queued during the outage replayed")]
    private partial void LogReplayed(int count);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Redis counters: {Count} settlements may not have been applied ({Error}); their reservations stay counted until their windows end")]
    private partial void LogUnconfirmed(int count, string error);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Redis counters at {Endpoints} connected")]
    private partial void LogConnected(string endpoints);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "Redis counters at {Endpoints} unreachable at start: admission uses the fallback until Redis answers")]
    private partial void LogStartedWithoutRedis(string endpoints);
}
