using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Tests.Infrastructure;

namespace Gateway.Proxy.Tests;

/// <summary>
/// The catalog changing under traffic: while requests of every kind are in flight (chat plain and
/// streamed, translated to Anthropic, embeddings), new snapshots are applied every few
/// milliseconds that revoke and restore the key, drop and restore subscriptions, models and
/// deployments, end a version, and change limits and budgets. A request is answered by the
/// snapshot it started under or refused by the next one, never failed by the swap: no gateway
/// 5xx, no error logged, no reservation left outstanding, and one ledger record for each request
/// that reached the upstream.
/// </summary>
public sealed class SnapshotChurnTests : IAsyncLifetime
{
    private const int Requests = 600;
    private FakeUpstream _upstream = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _upstream = await SmartUpstream.StartAsync();

    public async ValueTask DisposeAsync() => await _upstream.DisposeAsync();

    private static readonly (string Path, string Body)[] Kinds =
    [
        ("/v1/chat/completions", """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_tokens":20}"""),
        ("/v1/chat/completions", """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"stream":true}"""),
        ("/v1/chat/completions", """{"model":"claude","messages":[{"role":"user","content":"Hello"}],"max_tokens":20,"stream":true}"""),
        ("/v1/messages", """{"model":"claude","max_tokens":20,"messages":[{"role":"user","content":"Hi"}]}"""),
        ("/v1/embeddings", """{"model":"embed","input":"a"}"""),
    ];

    [Fact]
    public async Task SnapshotsAppliedUnderTraffic_NeverFailARequest_AndEveryRequestIsMeteredOnce()
    {
        var baseline = Fuzzing.EveryPolicy(TestWorld.Snapshot(_upstream.Url, canaryPercent: 0));
        var (proxy, logs) = await Fuzzing.StartAsync(baseline);
        await using var _ = proxy;
        var variants = Variants(baseline);

        using var stop = new CancellationTokenSource();
        var revision = baseline.Revision;
        var churn = Task.Run(async () =>
        {
            var random = new Random(Gateway.Testing.JsonMutator.Seed);
            while (!stop.IsCancellationRequested)
            {
                var next = variants[random.Next(variants.Count)] with { Revision = ++revision };
                Assert.True(proxy.Store.TryApply(next, "test", out var errors), string.Join("; ", errors));
                await Task.Delay(random.Next(0, 5), CancellationToken.None);
            }
        }, Ct);

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 12, CancellationToken = Ct }, async (index, ct) =>
        {
            var (path, body) = Kinds[index % Kinds.Length];
            using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            message.Headers.Add("x-request-id", $"churn-{index}");
            using var response = await proxy.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
            if ((int)response.StatusCode >= 500 && response.StatusCode != HttpStatusCode.ServiceUnavailable) failures.Enqueue($"{path} churn-{index} → {(int)response.StatusCode}: {text}");
            if (response.StatusCode == HttpStatusCode.OK && message.Content is not null && body.Contains("\"stream\":true", StringComparison.Ordinal)
                && !text.Contains("[DONE]", StringComparison.Ordinal) && !text.Contains("message_stop", StringComparison.Ordinal))
                failures.Enqueue($"{path} churn-{index}: a stream that did not end: {text}");
        });
        await stop.CancelAsync();
        await churn;

        Assert.True(failures.IsEmpty, $"{failures.Count} of {Requests} requests failed:\n" + string.Join("\n", failures.Take(15)));
        var summary = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(int)s.Key}: {s.Value}"));
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.OK) > Requests / 20, $"too few requests went through to test the swap under traffic ({summary})");
        Assert.True(statuses.Count > 1, $"no request was refused by a later snapshot ({summary})");
        var reached = _upstream.Requests.Count(r => r.Header("x-request-id")?.StartsWith("churn-", StringComparison.Ordinal) == true);
        var records = await Fuzzing.LedgerAsync(proxy, reached);
        Assert.All(records, r => Assert.StartsWith("churn-", r.RequestId, StringComparison.Ordinal));
        Fuzzing.AssertNoErrorsLogged(logs);
    }

    /// <summary>The snapshots the churn picks from: the baseline and one change each.</summary>
    private static List<GatewaySnapshot> Variants(GatewaySnapshot s)
    {
        var key = s.Keys[0];
        var chat = s.Models.First(m => m.Alias == "chat");
        var claude = s.Models.First(m => m.Alias == "claude");
        return
        [
            s,
            s,
            s with { Keys = [key with { Status = KeyStatus.Revoked }, .. s.Keys.Skip(1)] },
            s with { Keys = [key with { Limits = new LimitSpec(RequestsPerMinute: 1_000_000, TokensPerMinute: 40, MaxConcurrent: 2) }, .. s.Keys.Skip(1)] },
            s with { Keys = [key with { SubscriptionIds = [.. key.SubscriptionIds.Where(id => id != "sub-chat")] }, .. s.Keys.Skip(1)] },
            s with
            {
                Subscriptions = [.. s.Subscriptions.Where(x => x.Id != "sub-claude")],
                Keys = [.. s.Keys.Select(k => k with { SubscriptionIds = [.. k.SubscriptionIds.Where(id => id != "sub-claude")] })],
            },
            s with { Subscriptions = [.. s.Subscriptions.Select(x => x with { Budget = new BudgetSpec(MonthlyTokens: 10) })] },
            s with { Subscriptions = [.. s.Subscriptions.Select(x => x with { OverLimit = OverLimitAction.Clamp, MaxOutputTokens = 5 })] },
            s with { Models = [.. s.Models.Select(m => m == chat ? m with { Versions = [m.Versions[0] with { Status = VersionStatus.Deprecated, SunsetAt = DateTimeOffset.UtcNow.AddDays(30) }, .. m.Versions.Skip(1)] } : m)] },
            s with { Models = [.. s.Models.Select(m => m == chat ? m with { Versions = [m.Versions[0] with { Deployments = [m.Versions[0].Deployments[0] with { Id = "d-chat-moved", UpstreamModel = "up-chat-moved" }] }, .. m.Versions.Skip(1)] } : m)] },
            s with { Models = [.. s.Models.Select(m => m == claude ? m with { Versions = [m.Versions[0] with { Prices = new PriceSpec(3m, 0.3m, 15m, "USD") }, .. m.Versions.Skip(1)] } : m)] },
            s with { Teams = [.. s.Teams.Select(t => t with { Limits = new LimitSpec(MaxConcurrent: 1) })] },
        ];
    }
}
