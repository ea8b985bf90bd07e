using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Anthropic.Models.Messages;
using Gateway.Contracts.Keys;
using Gateway.Contracts.Usage;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Snapshots;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Integration.Tests.Metering;

/// <summary>
/// 2,000 mixed requests through the proxy to the real MockLlm — JSON and streamed chat, streams
/// with and without <c>include_usage</c>, Anthropic streams native and translated both ways, the
/// Responses API, embeddings, cached prompts, the OpenAI and Anthropic SDKs, and 10 % of streams
/// abandoned by the client mid-way — then the ledger is held against MockLlm's tally.
/// </summary>
public sealed class MeteringExactnessTests : IAsyncLifetime
{
    private const int Requests = 2000;
    private const int Parallelism = 32;

    private WebApplication _mock = null!;
    private WebApplication _proxy = null!;
    private Uri _mockUrl = null!;
    private Uri _proxyUrl = null!;
    private string _dataDirectory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        (_mock, _mockUrl) = await MeteringWorld.StartMockLlmAsync();
        _dataDirectory = Directory.CreateTempSubdirectory("metering-exactness-").FullName;
        _proxy = ProxyApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Proxy:DataDirectory"] = _dataDirectory,
                ["Proxy:Usage:SegmentMaxAgeMs"] = "100",
                ["Proxy:Usage:ShipIntervalMs"] = "50",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await _proxy.StartAsync(Ct);
        _proxyUrl = new Uri(MeteringWorld.Address(_proxy));
        if (!_proxy.Services.GetRequiredService<SnapshotStore>().TryApply(MeteringWorld.Snapshot(_mockUrl.ToString()), "test", out var errors))
            throw new InvalidOperationException(string.Join("; ", errors));
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.StopAsync(CancellationToken.None);
        await _proxy.DisposeAsync();
        await _mock.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task TwoThousandMixedRequests_LedgerEqualsMockLlmsTally_AbortsEstimated_NoIdTwice()
    {
        var watch = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = _proxyUrl, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DemoKeys.Key);
        using var aborting = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = _proxyUrl };
        aborting.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DemoKeys.Key);
        var aborted = new ConcurrentDictionary<string, bool>();
        var ids = new string[Requests];
        for (var i = 0; i < Requests; i++) ids[i] = $"exact-{i:D4}-{Guid.NewGuid():N}";

        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = Ct }, async (i, ct) =>
        {
            var id = ids[i];
            if (i % 10 == 9)
            {
                await AbandonStreamAsync(aborting, id, i % 20 == 9 ? "gpt-4o" : "claude-sonnet", ct);
                aborted[id] = true;
                return;
            }
            await SendAsync(http, i, id, ct);
        });
        var sent = watch.Elapsed;

        var tally = await MeteringWorld.SettledTallyAsync(_mockUrl);
        var ledger = await WaitForLedgerAsync(ids);
        MeteringWorld.Report($"{Requests} requests sent in {sent.TotalSeconds:F1} s; ledger complete after {watch.Elapsed.TotalSeconds:F1} s.");

        // No request id twice, none missing.
        Assert.Equal(Requests, ledger.Count);
        Assert.Equal(Requests, ledger.Select(r => r.RequestId).Distinct().Count());
        var byId = ledger.ToDictionary(r => r.RequestId);
        var entries = tally.GetProperty("requests");
        long ledgerTotal = 0, tallyTotal = 0;
        foreach (var id in ids)
        {
            var record = byId[id];
            var entry = entries.GetProperty(id);
            var prompt = entry.GetProperty("prompt_tokens").GetInt64();
            var completion = entry.GetProperty("completion_tokens").GetInt64();
            if (aborted.ContainsKey(id))
            {
                Assert.True(record.Estimated, id);
                Assert.Equal(UsageOutcomes.ClientAborted, record.Outcome);
                // The estimate's prompt follows the same formula as MockLlm; the output is what was relayed, at most what was sent.
                Assert.Equal(prompt, record.InputTokens);
                Assert.InRange(record.OutputTokens, 1, completion);
                continue;
            }
            Assert.True(entry.GetProperty("completed").GetBoolean(), id);
            Assert.False(record.Estimated, id);
            Assert.Equal(UsageOutcomes.Completed, record.Outcome);
            Assert.Equal(prompt, record.InputTokens);
            Assert.Equal(entry.GetProperty("cached_tokens").GetInt64(), record.CachedInputTokens);
            Assert.Equal(completion, record.OutputTokens);
            ledgerTotal += record.TotalTokens;
            tallyTotal += prompt + completion;
        }
        Assert.Equal(tallyTotal, ledgerTotal);
        Assert.Equal(Requests / 10, aborted.Count);
        Assert.Contains(ledger, r => r.CachedInputTokens > 0 && r.Cost > 0);
    }

    /// <summary>One of the mix, by <paramref name="i"/>: 9 kinds over raw HTTP and the two SDKs.</summary>
    private async Task SendAsync(HttpClient http, int i, string id, CancellationToken ct)
    {
        var text = $"Tell me about ledger entry {i}";
        switch (i % 9)
        {
            case 0: // JSON chat, with a cached prompt part
                await PostAsync(http, "/v1/chat/completions", $$"""{"model":"gpt-4o","messages":[{"role":"user","content":"{{text}}"}]}""", id, ct, ("x-mock-cached-tokens", "4"));
                break;
            case 1: // stream without include_usage, Azure-style deployment
                await PostAsync(http, "/v1/chat/completions", $$"""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"{{text}}"}]}""", id, ct);
                break;
            case 2: // stream with include_usage, client asked
                await PostAsync(http, "/v1/chat/completions", $$"""{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"{{text}}"}]}""", id, ct);
                break;
            case 3: // chat translated to Anthropic, streamed
                await PostAsync(http, "/v1/chat/completions", $$"""{"model":"claude-sonnet","stream":true,"max_tokens":64,"messages":[{"role":"user","content":"{{text}}"}]}""", id, ct);
                break;
            case 4: // OpenAI SDK streaming (it asks for include_usage)
                await foreach (var _ in new ChatClient("gpt-4o", new ApiKeyCredential(DemoKeys.Key), SdkOptions(id)).CompleteChatStreamingAsync([new UserChatMessage(text)], cancellationToken: ct))
                {
                }
                break;
            case 5: // Anthropic SDK streaming, native and translated to an OpenAI model
                await foreach (var _ in AnthropicClient(id).Messages.CreateStreaming(new MessageCreateParams
                {
                    Model = i % 2 == 0 ? "claude-sonnet" : "gpt-4o",
                    MaxTokens = 128,
                    System = "Be brief.",
                    Messages = [new UserMessageParam(text)],
                }, ct))
                {
                }
                break;
            case 6: // Anthropic JSON with cached input
                await PostAsync(http, "/v1/messages", $$"""{"model":"claude-sonnet","max_tokens":100,"messages":[{"role":"user","content":"{{text}}"}]}""", id, ct, ("x-mock-cached-tokens", "3"));
                break;
            case 7: // Responses API, streamed
                await PostAsync(http, "/v1/responses", $$"""{"model":"gpt-4o","stream":true,"input":"{{text}}"}""", id, ct);
                break;
            default: // embeddings
                await PostAsync(http, "/v1/embeddings", $$"""{"model":"text-embedding-3-small","input":["{{text}}","second"]}""", id, ct);
                break;
        }
    }

    private static async Task PostAsync(HttpClient http, string path, string json, string id, CancellationToken ct, params (string Name, string Value)[] headers)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        message.Headers.Add("x-request-id", id);
        foreach (var (name, value) in headers) message.Headers.Add(name, value);
        using var response = await http.SendAsync(message, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{id}: {(int)response.StatusCode} {body}");
    }

    /// <summary>A paced stream the client leaves after its second content chunk.</summary>
    private static async Task AbandonStreamAsync(HttpClient http, string id, string model, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{model}}","stream":true,"max_tokens":200,"messages":[{"role":"user","content":"Tell me a long story {{id}}"}]}""", Encoding.UTF8, "application/json"),
        };
        message.Headers.Add("x-request-id", id);
        message.Headers.Add("x-mock-output-tokens", "40");
        message.Headers.Add("x-mock-chunk-delay-ms", "20");
        var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        var chunks = 0;
        while (chunks < 2 && await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Contains("\"content\":\"", StringComparison.Ordinal)) chunks++;
        }
        response.Dispose();
    }

    private OpenAIClientOptions SdkOptions(string id)
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(_proxyUrl, "/v1"), RetryPolicy = new ClientRetryPolicy(maxRetries: 0) };
        options.AddPolicy(new RequestIdPolicy(id), PipelinePosition.PerCall);
        return options;
    }

    private Anthropic.AnthropicClient AnthropicClient(string id) => new()
    {
        ApiKey = DemoKeys.Key,
        BaseUrl = _proxyUrl.ToString().TrimEnd('/'),
        MaxRetries = 0,
        HttpClient = new HttpClient(new RequestIdHandler(id) { InnerHandler = new SocketsHttpHandler() }),
    };

    private async Task<List<UsageRecord>> WaitForLedgerAsync(string[] ids)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var ledger = MeteringWorld.ReadLedger(_dataDirectory);
            var seen = ledger.Select(r => r.RequestId).ToHashSet();
            if (ids.All(seen.Contains) || DateTime.UtcNow > deadline) return ledger;
            await Task.Delay(100, Ct);
        }
    }

    private sealed class RequestIdPolicy(string id) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set("x-request-id", id);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set("x-request-id", id);
            await ProcessNextAsync(message, pipeline, currentIndex);
        }
    }

    private sealed class RequestIdHandler(string id) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("x-request-id", id);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
