using System.Collections.Concurrent;
using Gateway.Contracts.Keys;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Counters;
using Gateway.Proxy.Tests.Infrastructure;
using Gateway.Proxy.Usage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Proxy.Tests.Admission;

/// <summary>
/// A small world for limit tests: one team, two keys on one subscription to <c>chat</c>
/// (<c>chat-v1</c>, output cap 1,000, $1/$0.50/$2 per million), an upstream that answers chat
/// completions with usage 11 + 7 (3 cached) and holds a request while its <c>x-hold</c> gate is shut.
/// </summary>
internal static class AdmissionWorld
{
    public const string TeamId = "team-limits";
    public const string SubscriptionId = "sub-limits-chat";
    public static readonly string KeyA = ApiKeyFormat.Compose("limitkey0001", "LimitKeyA0123456789abcdefghijklmnopqrstu");
    public static readonly string KeyB = ApiKeyFormat.Compose("limitkey0002", "LimitKeyB0123456789abcdefghijklmnopqrstu");

    /// <summary>10 seconds into a minute, in the middle of March 2026.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 10, TimeSpan.Zero);

    public static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();

    static AdmissionWorld() => Environment.SetEnvironmentVariable(TestWorld.CredentialEnv, TestWorld.UpstreamSecret);

    public const string ChatBody = """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_tokens":100}""";

    public static Task<FakeUpstream> StartUpstreamAsync() => FakeUpstream.StartAsync(async (context, request) =>
    {
        if (request.Header("x-hold") is { } hold) await Gate(hold).Task.WaitAsync(TimeSpan.FromSeconds(60));
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-ratelimit-limit-requests"] = "99999";
        await context.Response.WriteAsync("""{"id":"c","object":"chat.completion","created":1,"model":"up","choices":[{"index":0,"message":{"role":"assistant","content":"Hi there"},"finish_reason":"stop"}],"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18,"prompt_tokens_details":{"cached_tokens":3}}}""");
    });

    public static TaskCompletionSource Gate(string name) => Gates.GetOrAdd(name, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    public static GatewaySnapshot Snapshot(string upstreamUrl, LimitSpec? keyLimits = null, LimitSpec? subscriptionLimits = null, LimitSpec? teamLimits = null,
        BudgetSpec? budget = null, PeriodUsageSpec? usage = null, OverLimitAction overLimit = OverLimitAction.Reject, int? subscriptionMaxOutput = null,
        DateTimeOffset? issuedAt = null, long revision = 1)
    {
        var expiry = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return new GatewaySnapshot
        {
            Revision = revision,
            IssuedAt = issuedAt ?? Now.AddDays(-1),
            Providers = [new ProviderSpec("up", ProviderKind.OpenAI, upstreamUrl, $"env:{TestWorld.CredentialEnv}")],
            Models =
            [
                new ModelSpec("chat", ModelKind.Chat, "chat-v1",
                [
                    new ModelVersionSpec("chat-v1", VersionStatus.Ga, new PriceSpec(1m, 0.5m, 2m, "USD"), [new DeploymentSpec("d-up", "up", "up-chat")]) { MaxOutputTokens = 1000 },
                ]) { Tokenizer = "o200k_base" },
                new ModelSpec("nowhere", ModelKind.Chat, "nowhere-v1",
                [
                    new ModelVersionSpec("nowhere-v1", VersionStatus.Ga, new PriceSpec(1m, 0.5m, 2m, "USD"), [new DeploymentSpec("d-none", "up", "x", Weight: 0)]),
                ]),
            ],
            Teams = [new TeamSpec(TeamId, "Limits", "CC-9") { Limits = teamLimits }],
            Subscriptions =
            [
                new SubscriptionSpec(SubscriptionId, TeamId, "chat") { Limits = subscriptionLimits, Budget = budget, Usage = usage, OverLimit = overLimit, MaxOutputTokens = subscriptionMaxOutput },
                new SubscriptionSpec("sub-limits-nowhere", TeamId, "nowhere") { Limits = subscriptionLimits },
            ],
            Keys =
            [
                new ApiKeySpec("limitkey0001", ApiKeyFormat.HashToHex(KeyA), TeamId, "a", expiry, [SubscriptionId, "sub-limits-nowhere"]) { Limits = keyLimits },
                new ApiKeySpec("limitkey0002", ApiKeyFormat.HashToHex(KeyB), TeamId, "b", expiry, [SubscriptionId]),
            ],
        };
    }

    public static async Task<(ProxyHost Proxy, FakeTimeProvider Time)> StartProxyAsync(GatewaySnapshot snapshot, IDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(Now);
        var proxy = await ProxyHost.StartAsync(snapshot, settings, builder => builder.Services.AddSingleton<TimeProvider>(time));
        return (proxy, time);
    }

    public static InProcessCounters Counters(this ProxyHost proxy) => (InProcessCounters)proxy.App.Services.GetRequiredService<IAdmissionCounters>();

    /// <summary>Waits until at most <paramref name="held"/> reservations are outstanding (metering settles just after a response's last byte).</summary>
    public static async Task SettledAsync(this ProxyHost proxy, int held = 0)
    {
        var counters = proxy.Counters();
        for (var i = 0; counters.Outstanding > held; i++)
        {
            if (i > 1000) throw new TimeoutException($"{counters.Outstanding} reservations still outstanding.");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    public static SpoolShipper Shipper(this ProxyHost proxy) => proxy.App.Services.GetRequiredService<SpoolShipper>();
}
