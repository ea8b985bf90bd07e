using System.Diagnostics;
using System.Net;
using Gateway.Contracts.Snapshot;
using Gateway.Integration.Tests.Metering;
using Gateway.Testing.Redis;
using StackExchange.Redis;

namespace Gateway.Integration.Tests.ScaleOut;

/// <summary>Three proxies, one truth: team and budget limits shared exactly through one real Redis.</summary>
public sealed class SharedLimitsFixture : IAsyncLifetime
{
    internal static readonly ScaleOutWorld.Team RateTeam = new("team-rate", new LimitSpec(RequestsPerMinute: 100), new ScaleOutWorld.Subscription("sub-rate", "gpt-4o"));

    internal static readonly ScaleOutWorld.Team SlotTeam = new("team-slots", new LimitSpec(MaxConcurrent: 12), new ScaleOutWorld.Subscription("sub-slots", "gpt-4o"));

    internal static readonly ScaleOutWorld.Team BudgetTeam = new("team-budget", null,
        new ScaleOutWorld.Subscription("sub-budget", "gpt-4o-mini", Budget: new BudgetSpec(MonthlyTokens: SharedLimitsTests.BudgetTokens)));

    private ScaleOutWorld? _world;

    internal ScaleOutWorld World
    {
        get
        {
            RedisServer.Require();
            return _world ?? throw new InvalidOperationException("The scale-out world did not start.");
        }
    }

    public async ValueTask InitializeAsync()
    {
        if (File.Exists(RedisServer.Binary)) _world = await ScaleOutWorld.StartAsync([RateTeam, SlotTeam, BudgetTeam], redisTimeoutMilliseconds: 10_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (_world is not null) await _world.DisposeAsync();
    }
}

public sealed class SharedLimitsTests(SharedLimitsFixture fixture) : IClassFixture<SharedLimitsFixture>
{
    internal const long BudgetTokens = 20_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeHundredConcurrentRequests_OverThreeProxies_AgainstATeamLimitOf100_AdmitExactly100()
    {
        var world = fixture.World;
        var clients = Enumerable.Range(0, ScaleOutWorld.ProxyCount).Select(i => world.Client(i, SharedLimitsFixture.RateTeam)).ToArray();
        await ScaleOutWorld.WaitForRoomInTheMinuteAsync(TimeSpan.FromSeconds(25));
        var minute = DateTimeOffset.UtcNow;
        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, 300).Select(async i =>
        {
            await start.WaitAsync(Ct);
            return (Proxy: i % clients.Length, Outcome: await ScaleOutWorld.ChatAsync(clients[i % clients.Length], "gpt-4o"));
        }).ToArray();
        start.Release(300);
        var sent = await Task.WhenAll(calls);
        var outcomes = sent.Select(s => s.Outcome).ToArray();

        var admitted = outcomes.Where(o => o.Status == HttpStatusCode.OK).ToList();
        // A proxy that lost Redis would (rightly) fail open to its share: then this test proves nothing about sharing.
        Assert.True(world.Logs.All(l => l.EventId != 1201), "A proxy switched to its local share: " + string.Join(" | ", world.Logs.Where(l => l.EventId == 1201).Select(l => l.Message)));
        Assert.Equal(100, admitted.Count);
        Assert.All(outcomes.Where(o => o.Status != HttpStatusCode.OK), o =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, o.Status);
            Assert.Equal("rate_limit_exceeded", o.Code);
        });
        using var redis = await ConnectionMultiplexer.ConnectAsync(world.Redis.Configuration);
        var window = minute.ToUnixTimeSeconds() - (minute.ToUnixTimeSeconds() % 60);
        Assert.Equal(100, (long)await redis.GetDatabase().StringGetAsync($"{world.KeyPrefix}team:team-rate:rpm:{window}"));

        // Every admitted request is in exactly one proxy's ledger, the one that admitted it; refused ones
        // in none. (How the 100 fall among the proxies is a race: under load one proxy's requests can all
        // reach Redis after the others' 100, and then it admits none, rightly.)
        var ledger = (await world.LedgerAsync(admitted.Select(o => o.RequestId).ToList())).Where(r => r.TeamId == "team-rate").ToList();
        Assert.Equal(admitted.Select(o => o.RequestId).Order(StringComparer.Ordinal), ledger.Select(r => r.RequestId).Order(StringComparer.Ordinal));
        var proxyOf = sent.Where(s => s.Outcome.Status == HttpStatusCode.OK).ToDictionary(s => s.Outcome.RequestId, s => $"proxy-{s.Proxy}", StringComparer.Ordinal);
        Assert.All(ledger, r => Assert.Equal(proxyOf[r.RequestId], r.ProxyNode));
        foreach (var client in clients) client.Dispose();
    }

    [Fact]
    public async Task ConcurrentSlots_AreSharedByTheThreeProxies_TwelveOfThirtySixSlowRequestsRun()
    {
        var world = fixture.World;
        var clients = Enumerable.Range(0, ScaleOutWorld.ProxyCount).Select(i => world.Client(i, SharedLimitsFixture.SlotTeam)).ToArray();
        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, 36).Select(async i =>
        {
            await start.WaitAsync(Ct);
            return await ScaleOutWorld.ChatAsync(clients[i % clients.Length], "gpt-4o", delayMs: 3000);
        }).ToArray();
        start.Release(36);
        var outcomes = await Task.WhenAll(calls);

        Assert.Equal(12, outcomes.Count(o => o.Status == HttpStatusCode.OK));
        Assert.Equal(24, outcomes.Count(o => o.Status == HttpStatusCode.TooManyRequests && o.Code == "rate_limit_exceeded"));
        // Every slot was given back: the lease set is empty again.
        using var redis = await ConnectionMultiplexer.ConnectAsync(world.Redis.Configuration);
        Assert.Equal(0, await redis.GetDatabase().SortedSetLengthAsync($"{world.KeyPrefix}team:team-slots:concurrent"));
        foreach (var client in clients) client.Dispose();
    }

    [Fact]
    public async Task AMonthlyBudgetSharedByThreeProxies_IsNeverExceededByMoreThanOneReservation()
    {
        var world = fixture.World;
        var clients = Enumerable.Range(0, ScaleOutWorld.ProxyCount).Select(i => world.Client(i, SharedLimitsFixture.BudgetTeam)).ToArray();
        const int Requests = 200, Workers = 24, MaxTokens = 200;
        var outcomes = new ScaleOutWorld.Outcome[Requests];
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = Ct }, async (i, _) =>
            outcomes[i] = await ScaleOutWorld.ChatAsync(clients[i % clients.Length], "gpt-4o-mini", maxTokens: MaxTokens, outputTokens: 150));

        var admitted = outcomes.Where(o => o.Status == HttpStatusCode.OK).Select(o => o.RequestId).ToList();
        var refused = outcomes.Where(o => o.Status != HttpStatusCode.OK).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, o => Assert.Equal("insufficient_quota", o.Code));
        var ledger = (await world.LedgerAsync(admitted)).Where(r => r.SubscriptionId == "sub-budget").ToList();
        Assert.Equal(admitted.Order(StringComparer.Ordinal), ledger.Select(r => r.RequestId).Order(StringComparer.Ordinal));

        var used = ledger.Sum(r => r.TotalTokens);
        var reservation = ledger.Max(r => r.InputTokens) + MaxTokens;
        MeteringWorld.Report($"budget {BudgetTokens} tokens over 3 proxies: {admitted.Count} admitted, {refused.Count} refused, {used} tokens used, one reservation ≈ {reservation}, {watch.Elapsed.TotalSeconds:F1} s");
        Assert.True(used <= BudgetTokens + reservation, $"{used} tokens used against a budget of {BudgetTokens}");
        Assert.True(used >= BudgetTokens - ((Workers + 1) * reservation), $"only {used} of {BudgetTokens} tokens used: the proxies did not share the budget");

        // The shared counter holds exactly what the ledgers hold.
        using var redis = await ConnectionMultiplexer.ConnectAsync(world.Redis.Configuration);
        var now = DateTimeOffset.UtcNow;
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal(used, (long)await redis.GetDatabase().StringGetAsync($"{world.KeyPrefix}sub:sub-budget:budget-tokens:{month}"));
        foreach (var client in clients) client.Dispose();
    }
}
