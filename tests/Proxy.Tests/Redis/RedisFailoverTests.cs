using System.Diagnostics.Metrics;
using Gateway.Proxy.Counters;
using Gateway.Proxy.Counters.Redis;
using Gateway.Proxy.Telemetry;
using Gateway.Testing;
using Gateway.Testing.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Gateway.Proxy.Tests.Redis;

/// <summary>
/// What the Redis counters do when Redis is not there, goes away or comes back: fail-open shares,
/// fail-closed refusals, one switch each way with its log line and metric, settlements replayed,
/// leases of a crashed proxy expiring, keys expiring with their windows.
/// </summary>
public sealed class RedisFailoverTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 12, 0, 10, TimeSpan.Zero);
    private readonly RedisCountersFactory _factory = new();
    private readonly string _prefix = "f" + Guid.NewGuid().ToString("N")[..10] + ":";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CounterReservation Reservation(long min, long max, params CounterCheck[] checks) => new("req", checks, checks.Length, min, max);

    private static CounterCheck Rpm(string key, long limit) => new(key, CounterKind.Requests, CounterScope.Team, CounterWindow.Minute, limit, 1, 0);

    private static CounterCheck Tpm(string key, long limit, long prompt) => new(key, CounterKind.Tokens, CounterScope.Subscription, CounterWindow.Minute, limit, prompt, 1);

    private static CounterCheck Concurrent(string key, long limit) => new(key, CounterKind.Concurrency, CounterScope.Key, CounterWindow.None, limit, 1, 0);

    private static CounterCheck Budget(string key, long limit, long prompt) => new(key, CounterKind.BudgetTokens, CounterScope.Subscription, CounterWindow.Month, limit, prompt, 1);

    private MetricCollector<long> Collect(string name) =>
        new(_factory.Services.GetRequiredService<IMeterFactory>(), ProxyTelemetry.Name, name);

    [Fact]
    public async Task NoRedisAtStart_RateLimitsFailOpen_EachProxyAdmitsItsShareOfTheLiveProxies()
    {
        var logger = new FakeLogger<RedisAdmissionCounters>();
        var fallback = Collect("gateway.proxy.counters.fallback");
        var counters = await _factory.CreateAsync(RedisCountersFactory.Nowhere(_prefix), new FakeTimeProvider(Start), () => 3, logger);

        Assert.False(counters.IsAvailable);
        var admitted = 0;
        for (var i = 0; i < 15; i++)
        {
            var r = Reservation(0, 0, Rpm("team", 30));
            await counters.ReserveAsync(r, Ct);
            if (r.Admitted) admitted++;
        }
        var slots = 0;
        for (var i = 0; i < 5; i++)
        {
            var r = Reservation(0, 0, Concurrent("slots", 7));
            await counters.ReserveAsync(r, Ct);
            if (r.Admitted) slots++;
        }

        Assert.Equal(10, admitted); // 30 ÷ 3 live proxies
        Assert.Equal(2, slots); // 7 ÷ 3, rounded down
        Assert.Equal(20, fallback.GetMeasurementSnapshot().Count(m => (string?)m.Tags["outcome"] == "local"));
        Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 1206);
    }

    [Fact]
    public async Task NoRedis_FailClosedPolicies_RefuseWithUnavailable_OthersFallBack()
    {
        var time = new FakeTimeProvider(Start);
        var budgetsClosed = await _factory.CreateAsync(RedisCountersFactory.Nowhere(_prefix), time);
        var rateOnly = Reservation(0, 0, Rpm("team", 10));
        await budgetsClosed.ReserveAsync(rateOnly, Ct);
        Assert.True(rateOnly.Admitted);
        var budgeted = Reservation(10, 10, Rpm("team", 10), Budget("budget", 1000, 5));
        var refused = await Assert.ThrowsAsync<CountersUnavailableException>(() => budgetsClosed.ReserveAsync(budgeted, Ct).AsTask());
        Assert.Contains("budgets", refused.Message, StringComparison.Ordinal);
        Assert.False(budgeted.Admitted);

        var allClosed = await _factory.CreateAsync(RedisCountersFactory.Nowhere(_prefix, o => o.OnFailure.RateLimits = CounterFailureMode.FailClosed), time);
        await Assert.ThrowsAsync<CountersUnavailableException>(() => allClosed.ReserveAsync(Reservation(0, 0, Rpm("team", 10)), Ct).AsTask());

        var allOpen = await _factory.CreateAsync(RedisCountersFactory.Nowhere(_prefix, o => o.OnFailure.Budgets = CounterFailureMode.FailOpen), time);
        var open = Reservation(10, 10, Budget("budget", 1000, 5));
        await allOpen.ReserveAsync(open, Ct);
        Assert.True(open.Admitted);
    }

    [Fact]
    public async Task RedisDiesAndReturns_SwitchesOnceEachWay_AndReplaysTheSettlementsQueuedMeanwhile()
    {
        await using var server = await RedisServer.StartNewAsync(persistent: true);
        var logger = new FakeLogger<RedisAdmissionCounters>();
        var transitions = Collect("gateway.proxy.counters.redis.transitions");
        var replayed = Collect("gateway.proxy.counters.redis.replayed");
        var counters = await _factory.CreateAsync(RedisCountersFactory.Options(server.Configuration, _prefix, o => o.OnFailure.Budgets = CounterFailureMode.FailOpen), new FakeTimeProvider(Start), () => 2, logger);
        Assert.True(counters.IsAvailable);

        var inRedis = Reservation(100, 100, Tpm("tpm", 10_000, 20), Concurrent("slots", 5), Budget("budget", 1_000_000, 20));
        await counters.ReserveAsync(inRedis, Ct);
        Assert.True(inRedis.Admitted);
        Assert.Equal(120, await counters.PeekAsync("budget", CounterWindow.Month));

        await server.KillAsync();
        await Eventually.HoldsAsync(() => !counters.IsAvailable, TimeSpan.FromSeconds(20), "the counters notice Redis has gone");

        inRedis.Actual[0] = 37;
        inRedis.Actual[2] = 37;
        await counters.SettleAsync(inRedis, Ct); // queued: -83 tokens, the lease, -83 budget
        var local = Reservation(100, 100, Tpm("tpm", 10_000, 20), Budget("budget", 1_000_000, 20));
        await counters.ReserveAsync(local, Ct); // the fallback: a local share
        Assert.True(local.Admitted);
        local.Actual[0] = 50;
        local.Actual[1] = 50;
        await counters.SettleAsync(local, Ct); // its budget use waits to be added to Redis
        var another = Reservation(0, 0, Rpm("team", 100));
        await counters.ReserveAsync(another, Ct);
        Assert.Equal(4, counters.PendingOperations);
        await counters.MaintainAsync(); // Redis still down: nothing changes
        Assert.False(counters.IsAvailable);

        await server.StartAsync();
        await Eventually.HoldsAsync(async () =>
        {
            await counters.MaintainAsync();
            return counters.IsAvailable;
        }, TimeSpan.FromSeconds(20), "the counters switch back to Redis");

        Assert.Equal(0, counters.PendingOperations);
        Assert.Equal(37, await counters.PeekAsync("tpm", CounterWindow.Minute));
        Assert.Equal(0, await counters.PeekAsync("slots", CounterWindow.None));
        Assert.Equal(37 + 50, await counters.PeekAsync("budget", CounterWindow.Month));
        var events = logger.Collector.GetSnapshot().Select(r => r.Id.Id).ToList();
        Assert.Single(events, id => id == 1201);
        Assert.Single(events, id => id == 1202);
        Assert.Single(events, id => id == 1203);
        Assert.Equal(["unavailable", "available"], transitions.GetMeasurementSnapshot().Select(m => (string?)m.Tags["state"]));
        Assert.Equal(4, replayed.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task DuringAnOutage_ABudgetsShare_IsOfWhatWasLeftWhenRedisWasLastSeen()
    {
        await using var server = await RedisServer.StartNewAsync();
        var counters = await _factory.CreateAsync(RedisCountersFactory.Options(server.Configuration, _prefix, o => o.OnFailure.Budgets = CounterFailureMode.FailOpen), new FakeTimeProvider(Start), () => 2);
        var spent = Reservation(0, 0, Budget("budget", 1000, 600));
        await counters.ReserveAsync(spent, Ct);
        Assert.Equal(400, spent.Remaining[0]);

        await server.KillAsync();
        await Eventually.HoldsAsync(() => !counters.IsAvailable, TimeSpan.FromSeconds(20), "the counters notice Redis has gone");
        var fits = Reservation(0, 0, Budget("budget", 1000, 150));
        await counters.ReserveAsync(fits, Ct);
        var tooMuch = Reservation(0, 0, Budget("budget", 1000, 100));
        await counters.ReserveAsync(tooMuch, Ct);

        Assert.True(fits.Admitted); // share: (1000 - 600) / 2 = 200
        Assert.False(tooMuch.Admitted);
        Assert.Equal(150, counters.PeekLocal("budget", CounterWindow.Month));
    }

    [Fact]
    public async Task ACrashedProxysSlots_ExpireAfterTheLeaseTime_WhileALiveProxyKeepsRenewingItsOwn()
    {
        await using var server = await RedisServer.StartNewAsync();
        var time = new FakeTimeProvider(Start);
        var options = RedisCountersFactory.Options(server.Configuration, _prefix, o => o.LeaseSeconds = 120);
        var holder = await _factory.CreateAsync(options, time, node: "proxy-a");
        var other = await _factory.CreateAsync(options, time, node: "proxy-b");

        var held = Reservation(0, 0, Concurrent("slots", 1));
        await holder.ReserveAsync(held, Ct);
        Assert.True(held.Admitted);
        Assert.False(await TryAsync(other));

        time.Advance(TimeSpan.FromSeconds(50));
        await holder.MaintainAsync(); // renews: the lease now runs to 50 + 120 s
        time.Advance(TimeSpan.FromSeconds(80)); // 130 s: past the first lease, inside the renewed one
        Assert.False(await TryAsync(other));

        time.Advance(TimeSpan.FromSeconds(41)); // 171 s: the holder "crashed" after its renewal
        Assert.True(await TryAsync(other));
    }

    [Fact]
    public async Task Keys_ExpireAMarginAfterTheirWindowEnds()
    {
        await using var server = await RedisServer.StartNewAsync();
        var counters = await _factory.CreateAsync(RedisCountersFactory.Options(server.Configuration, _prefix), new FakeTimeProvider(Start));
        await counters.ReserveAsync(Reservation(0, 0, Rpm("m", 10), Concurrent("c", 10), Budget("b", 1000, 1)), Ct);

        using var redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var db = redis.GetDatabase();
        var minute = (await db.KeyTimeToLiveAsync(_prefix + "m:" + new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds()))!.Value;
        var month = (await db.KeyTimeToLiveAsync(_prefix + "b:" + new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds()))!.Value;
        var leases = (await db.KeyTimeToLiveAsync(_prefix + "c"))!.Value;

        // 50 s left in the minute + 60 s margin; 21 days 11:59:50 left in March + 1 day; lease 120 s + 60 s.
        Assert.InRange(minute, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(110));
        Assert.InRange(month, TimeSpan.FromDays(22) + TimeSpan.FromHours(11), TimeSpan.FromDays(22) + TimeSpan.FromHours(12));
        Assert.InRange(leases, TimeSpan.FromSeconds(170), TimeSpan.FromSeconds(180));
    }

    [Fact]
    public void Options_RedisWithoutAConfiguration_IsRefusedWithTheSettingsName()
    {
        var options = new CountersOptions { Store = CounterStore.Redis };
        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();
        Assert.Contains(errors, e => e.ErrorMessage!.Contains("Proxy:Counters:Redis:Configuration", StringComparison.Ordinal));
        Assert.Empty(new CountersOptions().Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
        var bad = RedisCountersFactory.Options("x:1", "", o => o.LeaseSeconds = 1);
        Assert.Equal(2, bad.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(bad)).Count());
    }

    private static async Task<bool> TryAsync(IAdmissionCounters counters)
    {
        var r = Reservation(0, 0, Concurrent("slots", 1));
        await counters.ReserveAsync(r, Ct);
        return r.Admitted;
    }

    public void Dispose() => _factory.Dispose();
}
