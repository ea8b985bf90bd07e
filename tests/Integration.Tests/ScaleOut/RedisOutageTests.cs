using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Gateway.Contracts.Snapshot;
using Gateway.Integration.Tests.Metering;
using Gateway.Proxy.Counters.Redis;
using Gateway.Testing.Redis;
using static Gateway.Integration.Tests.ScaleOut.ScaleOutWorld;

namespace Gateway.Integration.Tests.ScaleOut;

/// <summary>
/// Redis killed under load and restarted: rate limits fail open to each proxy's share, budgets fail
/// closed with 503 <c>gateway_unavailable</c>, no other error, every admitted request lands in
/// exactly one ledger, and each proxy logs and counts one switch each way.
/// </summary>
public sealed class RedisOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RedisKilledUnderLoad_RateLimitsFailOpenToShares_BudgetsFailClosed_NoUsageLost_ThenRecovers()
    {
        RedisServer.Require();
        var open = new Team("team-open", new LimitSpec(RequestsPerMinute: 30), new Subscription("sub-open", "gpt-4o"));
        var closed = new Team("team-closed", null, new Subscription("sub-closed", "gpt-4o-mini", Budget: new BudgetSpec(MonthlyTokens: 10_000_000)));
        var load = new Team("team-load", new LimitSpec(RequestsPerMinute: 1_000_000, MaxConcurrent: 1000), new Subscription("sub-load", "gpt-4o"));
        await using var world = await ScaleOutWorld.StartAsync([open, closed, load], CounterFailureMode.FailClosed);
        var openClients = Clients(world, open);
        var closedClients = Clients(world, closed);
        var loadClients = Clients(world, load);
        var outcomes = new ConcurrentBag<(string Phase, string Team, Outcome Outcome)>();
        await WaitForRoomInTheMinuteAsync(TimeSpan.FromSeconds(30));

        // Load across the whole outage: four workers, round-robin over the proxies.
        using var stopLoad = new CancellationTokenSource();
        var loadWorkers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = w; !stopLoad.IsCancellationRequested; i += 4)
                outcomes.Add(("load", load.Id, await ChatAsync(loadClients[i % ProxyCount], "gpt-4o")));
        }, Ct)).ToArray();

        // 1. Redis up: everything admitted through the shared counters.
        await SendAsync(outcomes, "before", open, openClients, 12, "gpt-4o");
        await SendAsync(outcomes, "before", closed, closedClients, 6, "gpt-4o-mini");
        Assert.All(outcomes.Where(o => o.Phase == "before"), o => Assert.Equal(HttpStatusCode.OK, o.Outcome.Status));

        // 2. Redis killed: every proxy notices and falls back.
        var watch = Stopwatch.StartNew();
        await world.Redis.KillAsync();
        await WaitUntilAsync(() => Enumerable.Range(0, ProxyCount).All(i => !world.Counters(i).IsAvailable), "a proxy never noticed Redis had gone");
        var noticed = watch.Elapsed;
        await SendAsync(outcomes, "outage", open, openClients, 60, "gpt-4o");
        await SendAsync(outcomes, "outage", closed, closedClients, 9, "gpt-4o-mini");
        var outage = outcomes.Where(o => o.Phase == "outage").ToList();
        Assert.Equal(30, outage.Count(o => o.Team == open.Id && o.Outcome.Status == HttpStatusCode.OK)); // 3 proxies × (30 ÷ 3)
        Assert.All(outage.Where(o => o.Team == open.Id && o.Outcome.Status != HttpStatusCode.OK), o => Assert.Equal("rate_limit_exceeded", o.Outcome.Code));
        Assert.All(outage.Where(o => o.Team == closed.Id), o =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, o.Outcome.Status);
            Assert.Equal("gateway_unavailable", o.Outcome.Code);
            Assert.Equal(TimeSpan.FromSeconds(1), o.Outcome.RetryAfter);
        });

        // 3. Redis back: every proxy switches back; budgets are admitted again.
        watch.Restart();
        await world.Redis.StartAsync();
        await WaitUntilAsync(() => Enumerable.Range(0, ProxyCount).All(i => world.Counters(i).IsAvailable), "a proxy never switched back to Redis");
        var recovered = watch.Elapsed;
        await SendAsync(outcomes, "after", closed, closedClients, 6, "gpt-4o-mini");
        Assert.All(outcomes.Where(o => o.Phase == "after"), o => Assert.Equal(HttpStatusCode.OK, o.Outcome.Status));
        await stopLoad.CancelAsync();
        await Task.WhenAll(loadWorkers);

        // The load never saw an error: fail-open carried it through both switches.
        var loadOutcomes = outcomes.Where(o => o.Phase == "load").ToList();
        Assert.All(loadOutcomes, o => Assert.Equal(HttpStatusCode.OK, o.Outcome.Status));
        // Only the documented statuses anywhere; a 503 only for the fail-closed budget during the outage.
        Assert.All(outcomes, o => Assert.Contains(o.Outcome.Status, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable }));
        Assert.All(outcomes.Where(o => o.Outcome.Status == HttpStatusCode.ServiceUnavailable), o => Assert.True(o.Phase == "outage" && o.Team == closed.Id));

        // No usage record lost, none twice, none for a refused request.
        var admitted = outcomes.Where(o => o.Outcome.Status == HttpStatusCode.OK).Select(o => o.Outcome.RequestId).ToList();
        var ledger = await world.LedgerAsync(admitted);
        Assert.Equal(admitted.Order(StringComparer.Ordinal), ledger.Select(r => r.RequestId).Order(StringComparer.Ordinal));

        // One switch each way per proxy, logged and counted. (In one test process the three hosts'
        // meters share one listener, so any proxy's /metrics shows the three together.)
        for (var i = 0; i < ProxyCount; i++)
        {
            Assert.Single(world.Logs, l => l.Proxy == i && l.EventId == 1201);
            Assert.Single(world.Logs, l => l.Proxy == i && l.EventId == 1202);
        }
        var metrics = await MetricsAsync(world, 0);
        Assert.Equal(ProxyCount, Sample(metrics, "gateway_proxy_counters_redis_transitions_total", "state=\"unavailable\""));
        Assert.Equal(ProxyCount, Sample(metrics, "gateway_proxy_counters_redis_transitions_total", "state=\"available\""));
        Assert.Equal(9, Sample(metrics, "gateway_proxy_counters_fallback_total", "outcome=\"fail_closed\""));
        Assert.Equal(1, Sample(metrics, "gateway_proxy_counters_redis_available", ""));
        MeteringWorld.Report($"Redis outage: all 3 proxies fell back {noticed.TotalMilliseconds:F0} ms after the kill and were back on Redis {recovered.TotalMilliseconds:F0} ms after the restart; " +
            $"{loadOutcomes.Count} load requests across it, all 200; {admitted.Count} admitted, {ledger.Count} ledger records");
        foreach (var c in openClients.Concat(closedClients).Concat(loadClients)) c.Dispose();
    }

    private static HttpClient[] Clients(ScaleOutWorld world, Team team) =>
        [.. Enumerable.Range(0, ProxyCount).Select(i => world.Client(i, team))];

    private static async Task SendAsync(ConcurrentBag<(string, string, Outcome)> outcomes, string phase, Team team, HttpClient[] clients, int count, string model)
    {
        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, count).Select(async i =>
        {
            await start.WaitAsync(Ct);
            outcomes.Add((phase, team.Id, await ChatAsync(clients[i % clients.Length], model)));
        }).ToArray();
        start.Release(count);
        await Task.WhenAll(calls);
    }

    private static async Task<string> MetricsAsync(ScaleOutWorld world, int proxy)
    {
        using var http = new HttpClient { BaseAddress = new Uri(MeteringWorld.Address(world.Proxies[proxy])) };
        return await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), Ct);
    }

    /// <summary>The value of the Prometheus sample of <paramref name="name"/> whose labels contain <paramref name="label"/>.</summary>
    private static double Sample(string metrics, string name, string label)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (!line.StartsWith(name + "{", StringComparison.Ordinal) || !line.Contains(label, StringComparison.Ordinal)) continue;
            return double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"No sample {name}{{{label}}} in /metrics.");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail(failure);
            await Task.Delay(10, Ct);
        }
    }
}
