using System.Net;
using System.Net.WebSockets;
using System.Text;
using Gateway.Contracts.Usage;
using Gateway.Proxy.Policies.Admission;
using Gateway.Proxy.Tests.Infrastructure;
using Gateway.Proxy.Tests.Usage;
using Gateway.Proxy.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Proxy.Tests.Metering;

/// <summary>One usage record per request that reached an upstream, with the provider's figures or a flagged estimate.</summary>
public sealed class MeteringTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private FakeUpstream _noUsage = null!;
    private ProxyHost _proxy = null!;
    private Contracts.Snapshot.GatewaySnapshot _snapshot = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _upstream = await SmartUpstream.StartAsync();
        _noUsage = await FakeUpstream.JsonAsync("""{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hello brave new world"},"finish_reason":"stop"}]}""");
        var snapshot = TestWorld.Snapshot(_upstream.Url, canaryPercent: 0);
        snapshot = snapshot with
        {
            Providers = [.. snapshot.Providers, new("nousage", Contracts.Snapshot.ProviderKind.OpenAI, _noUsage.Url, $"env:{TestWorld.CredentialEnv}")],
            Models = [.. snapshot.Models.Select(m => m.Alias == "legacy"
                ? m with { Versions = [m.Versions[0] with { Deployments = [new("d-nousage", "nousage", "m")] }, m.Versions[1]] }
                : m)],
        };
        _snapshot = snapshot;
        _proxy = await ProxyHost.StartAsync(snapshot, Ledger.FastSettings());
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _noUsage.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private static string NewId() => "meter-" + Guid.NewGuid().ToString("N");

    private Task<UsageRecord> RecordAsync(string id) => Ledger.WaitForAsync(_proxy.DataDirectory, id);

    private static readonly Microsoft.ML.Tokenizers.Tokenizer Reference = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding("o200k_base");

    private static long Tokens(string text) => Reference.CountTokens(text);

    [Fact]
    public async Task ARequestAloneInFlight_AppendsItsOwnRecord_WhileOneBesideAStream_LeavesItToTheWriter()
    {
        // Segments sealed after a second, not 10 ms: the first record of each new segment goes to the
        // writer (which opens it), so with the fast settings a slow machine sealed the segment between
        // most of the requests below and left only one or two to append directly.
        var settings = Ledger.FastSettings();
        settings["Proxy:Usage:SegmentMaxAgeMs"] = "1000";
        await using var proxy = await ProxyHost.StartAsync(_snapshot, settings);
        using var spooled = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(
            proxy.App.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), Telemetry.ProxyTelemetry.Name, "gateway.proxy.usage.spooled");
        long Spooled(string path) => spooled.GetMeasurementSnapshot().Where(m => Equals(m.Tags["gateway.usage.path"], path)).Sum(m => m.Value);
        async Task WaitForRecordsAsync(long count)
        {
            for (var i = 0; Spooled(SpoolPaths.Direct) + Spooled(SpoolPaths.Channel) < count && i < 1000; i++) await Task.Delay(5, Ct);
            Assert.Equal(count, Spooled(SpoolPaths.Direct) + Spooled(SpoolPaths.Channel));
        }

        // One request at a time: each is alone when it is metered.
        var alone = Enumerable.Range(0, 10).Select(_ => NewId()).ToList();
        foreach (var id in alone)
        {
            using var response = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("chat"), id);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await WaitForRecordsAsync(alone.IndexOf(id) + 1);
        }
        // Most went straight to the spool (the first of each segment goes to the writer, which opens it).
        Assert.InRange(Spooled(SpoolPaths.Direct), 3, 10);

        // Beside a stream held open upstream, no request is alone: the writer takes their records.
        var streamId = NewId();
        var gate = SmartUpstream.Gates.GetOrAdd(streamId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        using var stream = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("chat", stream: true), streamId, null, ("x-test-gate", streamId));
        var directBefore = Spooled(SpoolPaths.Direct);
        var shared = Enumerable.Range(0, 5).Select(_ => NewId()).ToList();
        foreach (var id in shared)
        {
            using var response = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("chat"), id);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await WaitForRecordsAsync(alone.Count + shared.IndexOf(id) + 1);
        }
        Assert.Equal(directBefore, Spooled(SpoolPaths.Direct));
        gate.SetResult();
        Assert.EndsWith("data: [DONE]\n\n", await stream.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Every record reaches the ledger once, whichever way it came.
        foreach (var id in alone.Concat(shared).Append(streamId)) Assert.Equal(id, (await Ledger.WaitForAsync(proxy.DataDirectory, id)).RequestId);
        Assert.Equal(alone.Count + shared.Count + 1, Ledger.Read(proxy.DataDirectory).Count);
    }

    [Fact]
    public async Task UsageThatCannotBeTrue_IsEstimated_Counted_AndLoggedWithItsProvider()
    {
        await using var liar = await FakeUpstream.JsonAsync("""{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hello brave new world"},"finish_reason":"stop"}],"usage":{"prompt_tokens":11,"completion_tokens":-7,"total_tokens":4}}""");
        var snapshot = _snapshot with { Providers = [.. _snapshot.Providers.Select(p => p.Id == "openai" ? p with { BaseUrl = liar.Url } : p)] };
        await using var proxy = await ProxyHost.StartAsync(snapshot, Ledger.FastSettings(), builder => Microsoft.Extensions.Logging.FakeLoggerBuilderExtensions.AddFakeLogging(builder.Logging));
        using var implausible = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(
            proxy.App.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), Telemetry.ProxyTelemetry.Name, "gateway.proxy.usage.implausible");
        var id = NewId();

        var response = await Send.PostAsync(proxy, "/v1/chat/completions", """{"model":"chat","messages":[{"role":"user","content":"Hi"}]}""", id);
        var record = await Ledger.WaitForAsync(proxy.DataDirectory, id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the answer itself is relayed as it came
        Assert.True(record.Estimated);
        Assert.Equal((Tokens("Hello brave new world"), 0L), (record.OutputTokens, record.CachedInputTokens));
        Assert.True(record.InputTokens > 0);
        var measurement = Assert.Single(implausible.GetMeasurementSnapshot());
        Assert.Equal(("openai", 1L), (measurement.Tags["gateway.provider"], measurement.Value));
        var warning = Assert.Single(proxy.App.Services.GetRequiredService<Microsoft.Extensions.Logging.Testing.FakeLogCollector>().GetSnapshot(), l => l.Id.Id == 8002);
        Assert.Contains(id, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonAnswer_IsRecordedWithTheProvidersUsage_AndPricedWithCachedInputApart()
    {
        var id = NewId();
        var response = await Send.PostAsync(_proxy, "/v1/chat/completions", """{"model":"chat","messages":[{"role":"user","content":"Hi"}]}""", id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var record = await RecordAsync(id);

        Assert.Equal((11, 3, 7), (record.InputTokens, record.CachedInputTokens, record.OutputTokens));
        Assert.Equal((8m * 1m + 3m * 0.5m + 7m * 2m) / 1_000_000m, record.Cost);
        Assert.Equal("USD", record.Currency);
        Assert.False(record.Estimated);
        Assert.Equal(UsageOutcomes.Completed, record.Outcome);
        Assert.Equal(200, record.Status);
        Assert.Equal(("testkey00001", TestWorld.TeamId, "sub-chat"), (record.KeyId, record.TeamId, record.SubscriptionId));
        Assert.Equal(("chat", "chat-v1", "d-chat-1", "openai"), (record.ModelAlias, record.ModelVersion, record.DeploymentId, record.ProviderId));
        Assert.Equal(("chat", false), (record.Operation, record.Streamed));
        Assert.True(record.LatencyMs > 0);
        Assert.NotNull(record.TimeToFirstTokenMs);
    }

    [Fact]
    public async Task Stream_WithoutIncludeUsage_IsMeteredFromTheInjectedUsageChunk()
    {
        var id = NewId();
        var response = await Send.PostAsync(_proxy, "/v1/chat/completions", """{"model":"chat","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", id);
        var text = await response.TextAsync();
        Assert.DoesNotContain("\"usage\":{", text);

        var record = await RecordAsync(id);

        Assert.Equal((9, 2), (record.InputTokens, record.OutputTokens));
        Assert.True(record.Streamed);
        Assert.False(record.Estimated);
    }

    [Fact]
    public async Task AnthropicStream_CountsMessageStartAndMessageDeltaOnce()
    {
        var id = NewId();
        var message = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"claude","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        message.Headers.Add("x-api-key", TestWorld.Key);
        message.Headers.Add("x-request-id", id);
        using var client = _proxy.CreateClient(null);
        var response = await client.SendAsync(message, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsStringAsync(Ct);

        var record = await RecordAsync(id);

        Assert.Equal((10, 5), (record.InputTokens, record.OutputTokens));
        Assert.Equal("messages", record.Operation);
        Assert.False(record.Estimated);
    }

    [Fact]
    public async Task AStreamTheClientAbandons_IsEstimatedFromWhatWasRelayed()
    {
        var id = NewId();
        var aborted = SmartUpstream.Aborted.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        // No draining on dispose: the client closes its connection at once, as a user closing a tab would.
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = _proxy.Address };
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"chat","stream":true,"messages":[{"role":"user","content":"Tell me a story"}]}""", Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new("Bearer", TestWorld.Key);
        message.Headers.Add("x-request-id", id);
        message.Headers.Add("x-test-hang", id);
        var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, Ct);
        var stream = await response.Content.ReadAsStreamAsync(Ct);
        var buffer = new byte[4096];
        Assert.True(await stream.ReadAsync(buffer, Ct) > 0);
        response.Dispose();
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var record = await RecordAsync(id);

        Assert.True(record.Estimated);
        Assert.Equal(UsageOutcomes.ClientAborted, record.Outcome);
        Assert.Equal(Tokens("x"), record.OutputTokens);
        Assert.Equal(3 + 3 + Tokens("user") + Tokens("Tell me a story"), record.InputTokens);
        Assert.Equal(record.InputTokens * 1m / 1_000_000m + record.OutputTokens * 2m / 1_000_000m, record.Cost);
    }

    [Fact]
    public async Task AnAnswerWithoutUsage_IsEstimatedFromTheAnswersText()
    {
        var id = NewId();
        var response = await Send.PostAsync(_proxy, "/v1/chat/completions", """{"model":"legacy","messages":[{"role":"user","content":"Hi"}]}""", id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var record = await RecordAsync(id);

        Assert.True(record.Estimated);
        Assert.Equal(UsageOutcomes.Completed, record.Outcome);
        Assert.Equal(Tokens("Hello brave new world"), record.OutputTokens);
        Assert.Equal(3 + 3 + Tokens("user") + Tokens("Hi"), record.InputTokens);
    }

    [Theory]
    [InlineData("400", 400)]
    [InlineData("500", 502)]
    public async Task ErrorAnswers_AreRecordedWithoutTokens(string upstreamStatus, int status)
    {
        var id = NewId();
        var response = await Send.PostAsync(_proxy, "/v1/chat/completions", """{"model":"chat","messages":[{"role":"user","content":"Hi"}]}""", id, null, ("x-test-status", upstreamStatus));
        Assert.Equal(status, (int)response.StatusCode);

        var record = await RecordAsync(id);

        Assert.Equal((0L, 0L, 0m), (record.InputTokens, record.OutputTokens, record.Cost));
        Assert.False(record.Estimated);
        Assert.Equal(UsageOutcomes.UpstreamError, record.Outcome);
        Assert.Equal(status, record.Status);
    }

    [Fact]
    public async Task Refusals_BeforeAnyUpstream_LeaveNoRecord()
    {
        var refused = NewId();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send.PostAsync(_proxy, "/v1/chat/completions", """{"model":"chat","messages":[]}""", refused, "sk-gw-nope")).StatusCode);
        var marker = NewId();
        await Send.PostAsync(_proxy, "/v1/embeddings", """{"model":"embed","input":"x"}""", marker);

        var record = await RecordAsync(marker);

        Assert.Equal((3, 0), (record.InputTokens, record.OutputTokens));
        Assert.Equal("embeddings", record.Operation);
        Assert.DoesNotContain(Ledger.Read(_proxy.DataDirectory), r => r.RequestId == refused);
    }

    [Fact]
    public async Task Inference_IsOneRecordPerRequest_WithoutTokens()
    {
        var id = NewId();
        var response = await Send.PostAsync(_proxy, "/v2/models/scorer/infer", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,1],"data":[1]}]}""", id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var record = await RecordAsync(id);

        Assert.Equal(("inference", 0L, 0L, false), (record.Operation, record.InputTokens, record.OutputTokens, record.Estimated));
    }

    [Fact]
    public async Task ARealtimeSession_IsOneRecord_SummingEveryResponseDone()
    {
        var id = NewId();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + TestWorld.Key);
        socket.Options.SetRequestHeader("x-request-id", id);
        var uri = new UriBuilder(_proxy.Address) { Scheme = "ws", Path = "/v1/realtime", Query = "model=voice" }.Uri;
        await socket.ConnectAsync(uri, Ct);
        var buffer = new byte[8192];
        await socket.ReceiveAsync(buffer, Ct); // session.created
        for (var i = 0; i < 2; i++)
        {
            await socket.SendAsync("""{"type":"response.create"}"""u8.ToArray(), WebSocketMessageType.Text, true, Ct);
            await socket.ReceiveAsync(buffer, Ct); // delta
            await socket.ReceiveAsync(buffer, Ct); // response.done
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Ct);

        var record = await RecordAsync(id);

        Assert.Equal((8, 2, 4), (record.InputTokens, record.CachedInputTokens, record.OutputTokens));
        Assert.Equal(("realtime", true, false), (record.Operation, record.Streamed, record.Estimated));
    }
}
