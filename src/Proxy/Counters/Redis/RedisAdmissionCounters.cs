using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Proxy.Counters.Redis;

/// <summary>
/// Exact admission counters shared by every proxy, in Redis. Each call is one Lua script run
/// (one round trip): <see cref="ReserveAsync"/> reads every counter of the request, works out the
/// units that fit and increments all or none; settle, release and adjust go through one
/// operations script. Window counters are <c>{prefix}{key}:{window start}</c> and expire a
/// margin after their window ends; concurrency gauges are sorted sets of leases scored by their
/// expiry, renewed while the request runs, so a crashed proxy's slots free themselves.
/// <para>
/// When Redis cannot be reached the counters switch, once, to <see cref="LocalFallback"/>
/// (fail-open: each proxy enforces its share of every limit) or refuse requests whose limits are
/// configured fail-closed (<see cref="CountersUnavailableException"/>); a background probe
/// switches back when Redis answers, replaying the settlements queued meanwhile. Every switch is
/// logged and counted.
/// </para>
/// </summary>
internal sealed partial class RedisAdmissionCounters : IAdmissionCounters
{
    /// <summary>Limits are clamped here so the script's double arithmetic stays exact.</summary>
    private const long MaxExact = (1L << 53) - 1;

    private readonly RedisConnection _connection;
    private readonly LocalFallback _fallback;
    private readonly RedisCountersMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly RedisCountersOptions _options;
    private readonly ILogger _logger;
    private readonly string _prefix;
    private readonly string _memberPrefix;
    private readonly long _leaseMs;
    private readonly ConcurrentDictionary<CounterReservation, string> _leases = new();
    private readonly ConcurrentDictionary<string, BudgetSight> _budgetSights = new(StringComparer.Ordinal);
    private long _sequence;

    public RedisAdmissionCounters(
        RedisConnection connection,
        IOptions<CountersOptions> options,
        Func<int> liveProxies,
        string nodeId,
        RedisCountersMetrics metrics,
        TimeProvider time,
        ILogger<RedisAdmissionCounters> logger)
    {
        _connection = connection;
        _options = options.Value.Redis;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _prefix = _options.KeyPrefix;
        _leaseMs = _options.LeaseSeconds * 1000L;
        _memberPrefix = nodeId + "/" + Guid.NewGuid().ToString("N")[..8] + "/";
        _fallback = new LocalFallback(time, liveProxies);
        _metrics.Observe(this);
        _downSince = time.GetTimestamp(); // unavailable (the fallback) until StartAsync has reached Redis
    }

    public async ValueTask ReserveAsync(CounterReservation reservation, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (IsAvailable)
        {
            try
            {
                await ReserveInRedisAsync(reservation, now);
                return;
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                MarkUnavailable(ex.GetType().Name + ": " + ex.Message);
            }
        }
        await ReserveLocallyAsync(reservation, now);
    }

    private async Task ReserveInRedisAsync(CounterReservation r, DateTimeOffset now)
    {
        var count = r.Count;
        var keys = new RedisKey[count];
        var args = new RedisValue[RedisScripts.ReserveHeader + (count * RedisScripts.ReserveStride)];
        var nowMs = now.ToUnixTimeMilliseconds();
        string? member = null;
        for (var i = 0; i < count; i++)
        {
            ref readonly var check = ref r.Checks[i];
            var a = RedisScripts.ReserveHeader + (i * RedisScripts.ReserveStride);
            if (check.Window == CounterWindow.None)
            {
                keys[i] = _prefix + check.Key;
                args[a] = 1;
                args[a + 4] = 0;
                member ??= NewMember();
                r.WindowStarts[i] = DateTimeOffset.MinValue;
                r.ResetsAt[i] = DateTimeOffset.MaxValue;
            }
            else
            {
                var start = CounterWindows.Start(check.Window, now);
                keys[i] = WindowKey(check.Key, start);
                args[a] = 0;
                args[a + 4] = TtlMs(check.Window, start, now);
                r.WindowStarts[i] = start;
                r.ResetsAt[i] = CounterWindows.End(check.Window, start);
            }
            args[a + 1] = Math.Min(check.Limit, MaxExact);
            args[a + 2] = check.Fixed;
            args[a + 3] = check.PerUnit;
        }
        args[0] = nowMs;
        args[1] = member ?? string.Empty;
        args[2] = nowMs + _leaseMs;
        args[3] = _leaseMs + 60_000;
        args[4] = r.MinUnits;
        args[5] = r.MaxUnits;

        var result = (RedisResult[])(await _connection.Database.ScriptEvaluateAsync(RedisScripts.Reserve, keys, args))!;
        r.Admitted = (long)result[0] == 1;
        r.Units = (long)result[1];
        r.DeniedIndex = (int)(long)result[2];
        for (var i = 0; i < count; i++)
        {
            ref readonly var check = ref r.Checks[i];
            var value = (long)result[3 + i];
            r.Remaining[i] = Math.Max(0, check.Limit - value);
            if (check.Window == CounterWindow.Month) _budgetSights[check.Key] = new BudgetSight(r.WindowStarts[i], value);
        }
        if (r.Admitted && member is not null)
        {
            r.State = member;
            _leases[r] = member;
        }
    }

    private async Task ReserveLocallyAsync(CounterReservation r, DateTimeOffset now)
    {
        for (var i = 0; i < r.Count; i++)
        {
            var budget = r.Checks[i].Kind is CounterKind.BudgetTokens or CounterKind.BudgetMoney;
            var mode = budget ? _options.OnFailure.Budgets : _options.OnFailure.RateLimits;
            if (mode != CounterFailureMode.FailClosed) continue;
            _metrics.Fallback("fail_closed");
            throw new CountersUnavailableException(budget
                ? "The gateway cannot check budgets right now (its shared counter store is unreachable); retry shortly."
                : "The gateway cannot check rate limits right now (its shared counter store is unreachable); retry shortly.");
        }
        await _fallback.ReserveAsync(r, now, LastSight);
        _metrics.Fallback("local");
    }

    /// <summary>The value a month counter had in Redis when last seen in <paramref name="window"/> (0 when unseen).</summary>
    private long LastSight(string key, DateTimeOffset window) =>
        _budgetSights.TryGetValue(key, out var sight) && sight.Window == window ? sight.Value : 0;

    private string NewMember() => _memberPrefix + Interlocked.Increment(ref _sequence).ToString("x", CultureInfo.InvariantCulture);

    private RedisKey WindowKey(string key, DateTimeOffset start) =>
        string.Concat(_prefix, key, ":", start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

    /// <summary>Until the window's end plus a margin for clock skew between proxies (a minute; a day for months).</summary>
    private static long TtlMs(CounterWindow window, DateTimeOffset start, DateTimeOffset now)
    {
        var margin = window == CounterWindow.Month ? TimeSpan.FromDays(1) : TimeSpan.FromMinutes(1);
        return (long)Math.Max(1000, (CounterWindows.End(window, start) - now + margin).TotalMilliseconds);
    }

    private static bool IsRedisFailure(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException;

    /// <summary>True when the command certainly never reached Redis (so replaying it cannot apply it twice).</summary>
    private static bool NeverSent(Exception ex) => ex switch
    {
        RedisConnectionException c => c.CommandStatus is CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog,
        RedisTimeoutException t => t.Commandstatus is CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog,
        ObjectDisposedException => true,
        _ => false,
    };

    private readonly record struct BudgetSight(DateTimeOffset Window, long Value);
}
