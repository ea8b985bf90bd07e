using System.Net;
using System.Text.Json;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Counters;
using Gateway.Proxy.Policies.Admission;
using Gateway.Proxy.Tests.Infrastructure;

namespace Gateway.Proxy.Tests.Admission;

/// <summary>Window roll-over, budgets, clamp mode, output caps and the rate-limit headers, on a fake clock.</summary>
public sealed class LimitsAndBudgetsTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;

    public async ValueTask InitializeAsync() => _upstream = await AdmissionWorld.StartUpstreamAsync();

    public async ValueTask DisposeAsync() => await _upstream.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<HttpResponseMessage> Chat(ProxyHost proxy, string body = AdmissionWorld.ChatBody, string? requestId = null, params (string, string)[] headers) =>
        Send.PostAsync(proxy, "/v1/chat/completions", body, requestId, AdmissionWorld.KeyA, headers);

    /// <summary>A call whose reservation is settled when it returns (as a client pausing between calls would see it).</summary>
    private static async Task<HttpResponseMessage> SettledChat(ProxyHost proxy, string body = AdmissionWorld.ChatBody)
    {
        var response = await Chat(proxy, body);
        await proxy.SettledAsync();
        return response;
    }

    private RecordedRequest Upstream(string requestId) => _upstream.Requests.Last(r => r.Header("x-request-id") == requestId);

    private static long? MaxTokensOf(RecordedRequest request)
    {
        using var doc = JsonDocument.Parse(request.Body);
        return doc.RootElement.TryGetProperty("max_tokens", out var v) ? v.GetInt64() : null;
    }

    [Fact]
    public async Task RequestsPerMinute_RollOverAtTheMinute_OnTheClock()
    {
        var (proxy, time) = await AdmissionWorld.StartProxyAsync(AdmissionWorld.Snapshot(_upstream.Url, keyLimits: new LimitSpec(RequestsPerMinute: 2)));
        await using var _ = proxy;

        Assert.Equal(HttpStatusCode.OK, (await Chat(proxy)).StatusCode);
        var second = await Chat(proxy);
        Assert.Equal("0", second.Header("x-ratelimit-remaining-requests"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Chat(proxy)).StatusCode);

        time.Advance(TimeSpan.FromSeconds(49)); // 12:00:59, same window
        var late = await Chat(proxy);
        Assert.Equal(HttpStatusCode.TooManyRequests, late.StatusCode);
        Assert.Equal("1", late.Header("Retry-After"));
        Assert.Equal("1s", late.Header("x-ratelimit-reset-requests"));

        time.Advance(TimeSpan.FromSeconds(1)); // 12:01:00, a new window
        var next = await Chat(proxy);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("1", next.Header("x-ratelimit-remaining-requests"));
        Assert.Equal("1m0s", next.Header("x-ratelimit-reset-requests"));
    }

    [Fact]
    public async Task SuccessfulResponses_CarryTheTightestLimits_NotTheUpstreams()
    {
        var (proxy, _) = await AdmissionWorld.StartProxyAsync(AdmissionWorld.Snapshot(_upstream.Url,
            keyLimits: new LimitSpec(RequestsPerMinute: 100, TokensPerMinute: 100_000),
            subscriptionLimits: new LimitSpec(RequestsPerMinute: 10, TokensPerMinute: 500_000),
            teamLimits: new LimitSpec(RequestsPerMinute: 1000)));
        await using var _ = proxy;

        var response = await Chat(proxy);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("10", response.Header("x-ratelimit-limit-requests"));
        Assert.Equal("9", response.Header("x-ratelimit-remaining-requests"));
        Assert.Equal("50s", response.Header("x-ratelimit-reset-requests"));
        Assert.Equal("100000", response.Header("x-ratelimit-limit-tokens"));
        Assert.Equal((100_000 - 108).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Header("x-ratelimit-remaining-tokens"));
        Assert.Equal("50s", response.Header("x-ratelimit-reset-tokens"));
    }

    [Fact]
    public async Task AContentPartWhoseTypeIsNotAString_CountsItsText_InsteadOfFailingTheRequest()
    {
        var (proxy, _) = await AdmissionWorld.StartProxyAsync(AdmissionWorld.Snapshot(_upstream.Url,
            keyLimits: new LimitSpec(TokensPerMinute: 100_000)));
        await using var _ = proxy;
        const string Body = """{"model":"chat","messages":[{"role":"user","content":[{"type":5,"text":"Hello"},{"type":{"x":1},"text":"there"}]}],"max_tokens":100}""";

        var response = await Chat(proxy, Body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // 3 + (3 + "user" + "Hello" + "there") prompt tokens and the 100 output tokens reserved.
        Assert.Equal((100_000 - 3 - 3 - 1 - 1 - 1 - 100).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Header("x-ratelimit-remaining-tokens"));
    }

    /// <summary>The snapshot with no output cap on any version, so a request's own max_tokens is what is reserved.</summary>
    private static GatewaySnapshot Uncapped(GatewaySnapshot snapshot) =>
        snapshot with { Models = [.. snapshot.Models.Select(m => m with { Versions = [.. m.Versions.Select(v => v with { MaxOutputTokens = null })] })] };

    private static long FigureAfter(string text, string label)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, label + @" (-?[0-9.]+)");
        Assert.True(match.Success, $"no '{label}' figure in: {text}");
        return (long)decimal.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("9223372036854775807")]
    [InlineData("10000000000000000")]
    public async Task AMaxTokensBeyondAnyCounter_IsRefused_WithFiguresThatDidNotOverflow(string maxTokens)
    {
        var (proxy, _) = await AdmissionWorld.StartProxyAsync(Uncapped(AdmissionWorld.Snapshot(_upstream.Url,
            keyLimits: new LimitSpec(TokensPerMinute: 100_000), budget: new BudgetSpec(MonthlyAmount: 100m, Currency: "USD"))));
        await using var _ = proxy;
        var body = $$"""{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_tokens":{{maxTokens}}}""";

        var tokens = await Chat(proxy, body);

        // Counted as 2^53 output tokens at most: prompt + that, not a sum that wrapped below zero.
        Assert.Equal(HttpStatusCode.TooManyRequests, tokens.StatusCode);
        var text = await tokens.TextAsync();
        Assert.Contains("tokens per minute", text);
        Assert.Equal(8 + AdmissionPlanner.MaxCountedOutputTokens, FigureAfter(text, "requested"));

        // Without the tokens/min limit the money budget refuses it: 2^53 tokens at $2/M is beyond what a counter holds.
        var (moneyOnly, _) = await AdmissionWorld.StartProxyAsync(Uncapped(AdmissionWorld.Snapshot(_upstream.Url,
            budget: new BudgetSpec(MonthlyAmount: 100m, Currency: "USD"))));
        await using var __ = moneyOnly;
        var money = await Chat(moneyOnly, body);
        Assert.Equal(HttpStatusCode.TooManyRequests, money.StatusCode);
        var moneyText = await money.TextAsync();
        Assert.Contains("spending budget", moneyText);
        Assert.Equal(long.MaxValue / 1_000_000_000, FigureAfter(moneyText, "left,"));
        Assert.Equal(0, proxy.Counters().Outstanding + moneyOnly.Counters().Outstanding);
    }

    [Fact]
    public async Task NoLimits_NoRateLimitHeaders_AndTheUpstreamsAreNotPassedOn()
    {
        var (proxy, _) = await AdmissionWorld.StartProxyAsync(AdmissionWorld.Snapshot(_upstream.Url));
        await using var _ = proxy;

        var response = await Chat(proxy);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("x-ratelimit-limit-requests"));
    }

    [Fact]
    public async Task TokenBudget_ExhaustedMidMonth_Refuses_WithInsufficientQuota_UntilNextMonth()
    {
        // 10,000 tokens a month, 9,700 already settled in March: 300 left. Each call reserves 108 and settles 18.
        var (proxy, time) = await AdmissionWorld.StartProxyAsync(AdmissionWorld.Snapshot(_upstream.Url,
            budget: new BudgetSpec(MonthlyTokens: 10_000), usage: new PeriodUsageSpec("2026-03", 9_700, 0m)));
        await using var _ = proxy;

        var admitted = 0;
        HttpResponseMessage response;
        while ((response = await SettledChat(proxy)).StatusCode == HttpStatusCode.OK) admitted++;

        // 300 − 18k ≥ 108 holds for k ≤ 10: eleven calls fit, the twelfth does not.
        Assert.Equal(11, admitted);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var body = await response.TextAsync();
        Assert.Contains("\"code\":\"insufficient_quota\"", body);
        Assert.Contains("\"type\":\"insufficient_quota\"", body);
        Assert.Contains("102 tokens left, 108 needed", body);
        var toApril = (long)Math.Ceiling((new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero) - AdmissionWorld.Now).TotalSeconds);
        Assert.Equal(toApril.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Header("Retry-After"));

        // A smaller request still fits what is left.
        Assert.Equal(HttpStatusCode.OK, (await Chat(proxy, """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_tokens":90}""")).StatusCode);

        // April: March's settled figure no longer applies and the counter starts again.
        time.Advance(TimeSpan.FromSeconds(toApril));
        Assert.Equal(HttpStatusCode.OK, (await Chat(proxy)).StatusCode);
    }

    [Fact]
    public async Task MoneyBudget_CountsPromptAndOutputAtTheVersionsPrices()
    {
        // $1 a month, $0.9997 settled: $0.0003 left = 300,000 nano-dollars. A call reserves 8 × $1/M + 100 × $2/M = $0.000208.
        var (proxy, _) = await AdmissionWorld.StartProxyAsync(AdmissionWorld.Snapshot(_upstream.Url,
            budget: new BudgetSpec(MonthlyAmount: 1m, Currency: "USD"), usage: new PeriodUsageSpec("2026-03", 0, 0.9997m)));
        await using var _ = proxy;

        Assert.Equal(HttpStatusCode.OK, (await SettledChat(proxy)).StatusCode);
        // Settled: 8 uncached × $1/M + 3 cached × $0.5/M + 7 × $2/M = $0.0000235.
        Assert.Equal(23_500, proxy.Counters().Peek($"sub:{AdmissionWorld.SubscriptionId}:budget-money", CounterWindow.Month));
        var refused = await Chat(proxy, """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_tokens":200}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("spending budget", await refused.TextAsync());
        Assert.Contains("insufficient_quota", await refused.TextAsync());
    }

    [Fact]
    public async Task ASettledFigureOfAnotherMonth_IsIgnored()
    {
        var (proxy, _) = await AdmissionWorld.StartProxyAsync(AdmissionWorld.Snapshot(_upstream.Url,
            budget: new BudgetSpec(MonthlyTokens: 1_000), usage: new PeriodUsageSpec("2026-02", 5_000, 0m)));
        await using var _ = proxy;

        Assert.Equal(HttpStatusCode.OK, (await Chat(proxy)).StatusCode);
    }

    [Fact]
    public async Task ClampMode_LowersMaxTokensToWhatIsLeft_AndRefusesWhenNothingIs()
    {
        var (proxy, _) = await AdmissionWorld.StartProxyAsync(AdmissionWorld.Snapshot(_upstream.Url,
            keyLimits: new LimitSpec(TokensPerMinute: 1_000), overLimit: OverLimitAction.Clamp));
        await using var _ = proxy;
        var gate = "clamp-" + Guid.NewGuid().ToString("N");

        // Held: reserves 8 + 900 = 908.
        var first = Chat(proxy, """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_tokens":900}""", headers: ("x-hold", gate));
        while (proxy.Counters().Peek("key:limitkey0001:tpm", CounterWindow.Minute) < 908) await Task.Delay(10, Ct);

        var id = "clamped-" + Guid.NewGuid().ToString("N");
        var second = await Chat(proxy, """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_tokens":500}""", id);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1000 - 908 - 8, MaxTokensOf(Upstream(id)));
        await proxy.SettledAsync(held: 1);

        // The second settled at 18 tokens: 1000 − 908 − 18 = 74 left, 8 of them for the prompt.
        var thirdId = "clamped-" + Guid.NewGuid().ToString("N");
        var third = Chat(proxy, """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_tokens":500}""", thirdId, ("x-hold", gate));
        while (!_upstream.Requests.Any(r => r.Header("x-request-id") == thirdId)) await Task.Delay(10, Ct);
        Assert.Equal(66, MaxTokensOf(Upstream(thirdId)));
        var refused = await Chat(proxy);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        AdmissionWorld.Gate(gate).TrySetResult();
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await third).StatusCode);
        await proxy.SettledAsync();
        Assert.Equal(3 * 18, proxy.Counters().Peek("key:limitkey0001:tpm", CounterWindow.Minute));
    }

    [Fact]
    public async Task ClampMode_RefusesWhenNotEvenOneOutputTokenIsLeft()
    {
        var (proxy, _) = await AdmissionWorld.StartProxyAsync(AdmissionWorld.Snapshot(_upstream.Url,
            keyLimits: new LimitSpec(TokensPerMinute: 8), overLimit: OverLimitAction.Clamp));
        await using var _ = proxy;

        var refused = await Chat(proxy);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("rate_limit_exceeded", await refused.TextAsync());
    }

    [Fact]
    public async Task SubscriptionOutputCap_IsWrittenIntoTheBody_WhenTheRequestAsksMoreOrNothing()
    {
        var (proxy, _) = await AdmissionWorld.StartProxyAsync(AdmissionWorld.Snapshot(_upstream.Url, subscriptionMaxOutput: 50));
        await using var _ = proxy;

        async Task<long?> Sent(string body)
        {
            var id = "cap-" + Guid.NewGuid().ToString("N");
            Assert.Equal(HttpStatusCode.OK, (await Chat(proxy, body, id)).StatusCode);
            return MaxTokensOf(Upstream(id));
        }

        Assert.Equal(50, await Sent("""{"model":"chat","messages":[{"role":"user","content":"Hi"}]}"""));
        Assert.Equal(50, await Sent("""{"model":"chat","messages":[{"role":"user","content":"Hi"}],"max_tokens":500}"""));
        Assert.Equal(10, await Sent("""{"model":"chat","messages":[{"role":"user","content":"Hi"}],"max_tokens":10}"""));
    }

    [Fact]
    public async Task WithoutMaxTokens_TheVersionsCapIsReserved_AndTheBodyIsLeftAlone()
    {
        var (proxy, _) = await AdmissionWorld.StartProxyAsync(AdmissionWorld.Snapshot(_upstream.Url, keyLimits: new LimitSpec(TokensPerMinute: 1_007)));
        await using var _ = proxy;
        var id = "nomax-" + Guid.NewGuid().ToString("N");

        // 8 + the version's 1,000 = 1,008 > 1,007.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Chat(proxy, """{"model":"chat","messages":[{"role":"user","content":"Hello"}]}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Chat(proxy, """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_tokens":999}""", id)).StatusCode);
        Assert.Equal(999, MaxTokensOf(Upstream(id)));
    }

    [Fact]
    public async Task ARequestThatNeverReachesAnUpstream_GivesItsReservationBack()
    {
        var (proxy, _) = await AdmissionWorld.StartProxyAsync(AdmissionWorld.Snapshot(_upstream.Url, subscriptionLimits: new LimitSpec(RequestsPerMinute: 10, TokensPerMinute: 10_000, MaxConcurrent: 5)));
        await using var _ = proxy;

        var response = await Chat(proxy, """{"model":"nowhere","messages":[{"role":"user","content":"Hello"}],"max_tokens":100}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        await proxy.SettledAsync();
        var counters = proxy.Counters();
        Assert.Equal(0, counters.Peek("sub:sub-limits-nowhere:tpm", CounterWindow.Minute));
        Assert.Equal(0, counters.Peek("sub:sub-limits-nowhere:concurrent", CounterWindow.None));
        Assert.Equal(1, counters.Peek("sub:sub-limits-nowhere:rpm", CounterWindow.Minute));
    }
}
