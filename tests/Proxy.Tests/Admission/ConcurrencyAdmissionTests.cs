using System.Net;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Tests.Infrastructure;

namespace Gateway.Proxy.Tests.Admission;

/// <summary>Exact admission under concurrency: 200 simultaneous requests against a limit of 50, at each scope.</summary>
public sealed class ConcurrencyAdmissionTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;

    public async ValueTask InitializeAsync() => _upstream = await AdmissionWorld.StartUpstreamAsync();

    public async ValueTask DisposeAsync() => await _upstream.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Scopes => ["key", "subscription", "team"];

    private GatewaySnapshot Snapshot(string scope, LimitSpec limits) => scope switch
    {
        "key" => AdmissionWorld.Snapshot(_upstream.Url, keyLimits: limits),
        "subscription" => AdmissionWorld.Snapshot(_upstream.Url, subscriptionLimits: limits),
        _ => AdmissionWorld.Snapshot(_upstream.Url, teamLimits: limits),
    };

    /// <summary>Key scope: every request with key A; wider scopes: half with each key, so the limit is shared.</summary>
    private static string KeyFor(string scope, int i) => scope == "key" || i % 2 == 0 ? AdmissionWorld.KeyA : AdmissionWorld.KeyB;

    [Theory]
    [MemberData(nameof(Scopes))]
    public async Task TwoHundredConcurrentRequests_AgainstAConcurrencyLimitOfFifty_AdmitExactlyFifty(string scope)
    {
        var (proxy, _) = await AdmissionWorld.StartProxyAsync(Snapshot(scope, new LimitSpec(MaxConcurrent: 50)));
        await using var _ = proxy;
        var gate = "conc-" + scope + Guid.NewGuid().ToString("N");
        var before = _upstream.Requests.Count;

        var tasks = new Task<HttpResponseMessage>[200];
        for (var i = 0; i < tasks.Length; i++)
            tasks[i] = Send.PostAsync(proxy, "/v1/chat/completions", AdmissionWorld.ChatBody, key: KeyFor(scope, i), headers: ("x-hold", gate));

        // Every request either waits at the upstream (admitted) or has its 429 already.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Completed(tasks) + (_upstream.Requests.Count - before) < 200 && DateTime.UtcNow < deadline) await Task.Delay(20, Ct);
        var held = _upstream.Requests.Count - before;
        AdmissionWorld.Gate(gate).TrySetResult();
        var responses = await Task.WhenAll(tasks);

        Assert.Equal(50, held);
        Assert.Equal(50, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(150, refused.Count);
        Assert.All(refused, r => Assert.Equal("1", r.Header("Retry-After")));
        Assert.Contains("rate_limit_exceeded", await refused[0].TextAsync());
        Assert.Contains("concurrent", await refused[0].TextAsync());
        // Every slot came back.
        await proxy.SettledAsync();
        Assert.Equal(0, proxy.Counters().Peek(Key(scope, "concurrent"), Proxy.Counters.CounterWindow.None));
    }

    [Theory]
    [MemberData(nameof(Scopes))]
    public async Task TwoHundredConcurrentRequests_AgainstFiftyRequestsPerMinute_AdmitExactlyFifty(string scope)
    {
        var (proxy, _) = await AdmissionWorld.StartProxyAsync(Snapshot(scope, new LimitSpec(RequestsPerMinute: 50)));
        await using var _ = proxy;

        var tasks = new Task<HttpResponseMessage>[200];
        for (var i = 0; i < tasks.Length; i++) tasks[i] = Send.PostAsync(proxy, "/v1/chat/completions", AdmissionWorld.ChatBody, key: KeyFor(scope, i));
        var responses = await Task.WhenAll(tasks);

        Assert.Equal(50, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(150, refused.Count);
        // The fake clock stands at 12:00:10: the window ends in 50 s.
        Assert.All(refused, r =>
        {
            Assert.Equal("50", r.Header("Retry-After"));
            Assert.Equal("50", r.Header("x-ratelimit-limit-requests"));
            Assert.Equal("0", r.Header("x-ratelimit-remaining-requests"));
            Assert.Equal("50s", r.Header("x-ratelimit-reset-requests"));
        });
        Assert.Contains("requests per minute on " + (scope == "key" ? "key limitkey0001" : scope == "subscription" ? "subscription " + AdmissionWorld.SubscriptionId : "team " + AdmissionWorld.TeamId), await refused[0].TextAsync());
        Assert.Equal(50, proxy.Counters().Peek(Key(scope, "rpm"), Proxy.Counters.CounterWindow.Minute));
    }

    [Fact]
    public async Task ConcurrentReservations_AgainstATokensPerMinuteLimit_AdmitExactlyWhatFits_ThenSettleToUsage()
    {
        // Each request reserves prompt (8 tokens for "Hello") + max_tokens 100 = 108; 1,080 fit ten.
        var (proxy, _) = await AdmissionWorld.StartProxyAsync(AdmissionWorld.Snapshot(_upstream.Url, keyLimits: new LimitSpec(TokensPerMinute: 1080)));
        await using var _ = proxy;
        var gate = "tpm-" + Guid.NewGuid().ToString("N");
        var before = _upstream.Requests.Count;

        var tasks = new Task<HttpResponseMessage>[40];
        for (var i = 0; i < tasks.Length; i++) tasks[i] = Send.PostAsync(proxy, "/v1/chat/completions", AdmissionWorld.ChatBody, key: AdmissionWorld.KeyA, headers: ("x-hold", gate));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Completed(tasks) + (_upstream.Requests.Count - before) < 40 && DateTime.UtcNow < deadline) await Task.Delay(20, Ct);
        Assert.Equal(1080, proxy.Counters().Peek("key:limitkey0001:tpm", Proxy.Counters.CounterWindow.Minute));
        AdmissionWorld.Gate(gate).TrySetResult();
        var responses = await Task.WhenAll(tasks);

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains("tokens per minute", await refused.TextAsync());
        Assert.Equal("0", refused.Header("x-ratelimit-remaining-tokens"));
        // Settled to the upstream's usage: 10 × (11 + 7).
        await proxy.SettledAsync();
        Assert.Equal(180, proxy.Counters().Peek("key:limitkey0001:tpm", Proxy.Counters.CounterWindow.Minute));
    }

    private static int Completed(Task<HttpResponseMessage>[] tasks) => tasks.Count(t => t.IsCompleted);

    private static string Key(string scope, string kind) => scope switch
    {
        "key" => $"key:limitkey0001:{kind}",
        "subscription" => $"sub:{AdmissionWorld.SubscriptionId}:{kind}",
        _ => $"team:{AdmissionWorld.TeamId}:{kind}",
    };
}
