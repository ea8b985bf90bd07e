using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Contracts.Demo;
using Gateway.Contracts.Keys;
using Gateway.Contracts.Snapshot;
using Gateway.Contracts.Usage;
using Gateway.Integration.Tests.Metering;
using Gateway.Proxy.Counters;
using Gateway.Proxy.Counters.Redis;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Snapshots;
using Gateway.Testing;
using Gateway.Testing.Redis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Integration.Tests.ScaleOut;

/// <summary>
/// Three proxies in-process on 127.0.0.1 port 0 sharing one real redis-server (counters) and one
/// MockLlm (upstream), each with its own data directory and NDJSON ledger. Teams, keys and
/// limits come from <see cref="Team"/>s applied as one snapshot with <c>liveProxies = 3</c>.
/// </summary>
internal sealed class ScaleOutWorld : IAsyncDisposable
{
    public const int ProxyCount = 3;

    private readonly List<WebApplication> _proxies = [];
    private readonly List<string> _directories = [];
    private WebApplication? _mock;

    private ScaleOutWorld(RedisServer redis) => Redis = redis;

    public RedisServer Redis { get; }

    public string KeyPrefix { get; } = "so" + Guid.NewGuid().ToString("N")[..8] + ":";

    public Uri MockUrl { get; private set; } = null!;

    public IReadOnlyList<WebApplication> Proxies => _proxies;

    /// <summary>Log lines the proxies wrote, by proxy index.</summary>
    public ConcurrentBag<(int Proxy, int EventId, string Message)> Logs { get; } = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="redisTimeoutMilliseconds">The proxies' Redis command timeout. Tests of exactness with Redis up give it
    /// room (a loaded CI machine can stall a command past 1 s, which rightly fails the rate limits open to shares);
    /// outage tests keep it short.</param>
    public static async Task<ScaleOutWorld> StartAsync(IReadOnlyList<Team> teams, CounterFailureMode budgets = CounterFailureMode.FailClosed, int redisTimeoutMilliseconds = 1000)
    {
        var world = new ScaleOutWorld(await RedisServer.StartNewAsync());
        try
        {
            (world._mock, world.MockUrl) = await MeteringWorld.StartMockLlmAsync();
            var snapshot = Snapshot(world.MockUrl.ToString(), teams);
            for (var i = 0; i < ProxyCount; i++) await world.StartProxyAsync(i, snapshot, budgets, redisTimeoutMilliseconds);
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    private async Task StartProxyAsync(int index, GatewaySnapshot snapshot, CounterFailureMode budgets, int redisTimeoutMilliseconds)
    {
        var directory = Directory.CreateTempSubdirectory($"scaleout-{index}-").FullName;
        _directories.Add(directory);
        var app = ProxyApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Proxy:DataDirectory"] = directory,
                ["Proxy:NodeId"] = $"proxy-{index}",
                ["Proxy:Counters:Store"] = "Redis",
                ["Proxy:Counters:Redis:Configuration"] = Redis.Configuration,
                ["Proxy:Counters:Redis:KeyPrefix"] = KeyPrefix,
                ["Proxy:Counters:Redis:ProbeIntervalMilliseconds"] = "200",
                ["Proxy:Counters:Redis:TimeoutMilliseconds"] = redisTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture),
                ["Proxy:Counters:Redis:ConnectTimeoutMilliseconds"] = "10000",
                ["Proxy:Counters:Redis:OnFailure:RateLimits"] = "FailOpen",
                ["Proxy:Counters:Redis:OnFailure:Budgets"] = budgets.ToString(),
                ["Proxy:Usage:SegmentMaxAgeMs"] = "100",
                ["Proxy:Usage:ShipIntervalMs"] = "50",
            });
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddProvider(new CapturingLoggerProvider((id, message) => Logs.Add((index, id, message))));
        });
        await app.StartAsync(Ct);
        _proxies.Add(app);
        // Redis is up when a world starts; a proxy whose first connect was slow (a loaded CI machine)
        // starts on its fallback and switches to Redis at its next probe. Tests begin once all have.
        if (app.Services.GetRequiredService<IAdmissionCounters>() is RedisAdmissionCounters counters)
            await Eventually.HoldsAsync(() => counters.IsAvailable, TimeSpan.FromSeconds(30), $"proxy {index} uses Redis");
        if (!app.Services.GetRequiredService<SnapshotStore>().TryApply(snapshot, "test", out var errors))
            throw new InvalidOperationException(string.Join("; ", errors));
    }

    /// <summary>A team with one key and one subscription per entry of <paramref name="subscriptions"/>.</summary>
    internal sealed record Team(string Id, LimitSpec? Limits, params Subscription[] Subscriptions)
    {
        public string Key { get; } = ApiKeyFormat.Generate();
    }

    internal sealed record Subscription(string Id, string ModelAlias, LimitSpec? Limits = null, BudgetSpec? Budget = null);

    public static GatewaySnapshot Snapshot(string mockLlm, IReadOnlyList<Team> teams)
    {
        var demo = DemoCatalog.Snapshot(mockLlm);
        return demo with
        {
            Revision = 5,
            IssuedAt = DateTimeOffset.UtcNow,
            LiveProxies = ProxyCount,
            Teams = [.. teams.Select(t => new TeamSpec(t.Id, t.Id, "CC-" + t.Id) { Limits = t.Limits })],
            Subscriptions = [.. teams.SelectMany(t => t.Subscriptions.Select(s => new SubscriptionSpec(s.Id, t.Id, s.ModelAlias) { Limits = s.Limits, Budget = s.Budget }))],
            Keys = [.. teams.Select(t => new ApiKeySpec(ApiKeyFormat.TryGetKeyId(t.Key, out var id) ? id.ToString() : throw new InvalidOperationException(),
                ApiKeyFormat.HashToHex(t.Key), t.Id, "scale-app", DateTimeOffset.UtcNow.AddYears(1), [.. t.Subscriptions.Select(s => s.Id)]))],
        };
    }

    public HttpClient Client(int proxy, Team team)
    {
        var client = new HttpClient { BaseAddress = new Uri(MeteringWorld.Address(_proxies[proxy])), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", team.Key);
        return client;
    }

    /// <summary>One chat completion; the status, the request id and the error code (if any).</summary>
    public static async Task<Outcome> ChatAsync(HttpClient client, string model, int maxTokens = 16, int? outputTokens = null, int? delayMs = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{model}}","max_tokens":{{maxTokens}},"messages":[{"role":"user","content":"Count the replicas."}]}""", Encoding.UTF8, "application/json"),
        };
        if (outputTokens is { } tokens) request.Headers.Add("x-mock-output-tokens", tokens.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (delayMs is { } delay) request.Headers.Add("x-mock-delay-ms", delay.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        string? code = null;
        if (!response.IsSuccessStatusCode && body.StartsWith('{'))
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("code", out var c)) code = c.GetString();
        }
        var id = response.Headers.TryGetValues("x-request-id", out var ids) ? ids.First() : "";
        var retryAfter = response.Headers.RetryAfter?.Delta;
        return new Outcome(response.StatusCode, id, code, retryAfter);
    }

    internal sealed record Outcome(HttpStatusCode Status, string RequestId, string? Code, TimeSpan? RetryAfter);

    /// <summary>Waits until a minute window has at least <paramref name="needed"/> left, so a per-minute count is not split.</summary>
    public static async Task WaitForRoomInTheMinuteAsync(TimeSpan needed)
    {
        var now = DateTimeOffset.UtcNow;
        var left = TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(now.UtcTicks % TimeSpan.TicksPerMinute);
        if (left < needed) await Task.Delay(left + TimeSpan.FromMilliseconds(200), Ct);
    }

    /// <summary>Every ledger record of the three proxies once <paramref name="expected"/> ids are all there (30 s at most).</summary>
    public async Task<List<UsageRecord>> LedgerAsync(IReadOnlyCollection<string> expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var records = _directories.SelectMany(MeteringWorld.ReadLedger).ToList();
            var ids = records.Select(r => r.RequestId).ToHashSet(StringComparer.Ordinal);
            if (expected.All(ids.Contains) || DateTime.UtcNow > deadline) return records;
            await Task.Delay(100, Ct);
        }
    }

    public RedisAdmissionCounters Counters(int proxy) => _proxies[proxy].Services.GetRequiredService<RedisAdmissionCounters>();

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in _proxies)
        {
            await proxy.StopAsync(CancellationToken.None);
            await proxy.DisposeAsync();
        }
        if (_mock is not null) await _mock.DisposeAsync();
        await Redis.DisposeAsync();
        foreach (var directory in _directories)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
