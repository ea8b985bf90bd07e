using System.Net;
using System.Text.Json;
using Gateway.Proxy.Relay;
using Gateway.Proxy.Tests.Infrastructure;

namespace Gateway.Proxy.Tests;

[Collection(GatewayCollection.Name)]
public sealed class ProxyPipelineTests(GatewayFixture fixture)
{
    private ProxyHost Proxy => fixture.Proxy;

    [Fact]
    public async Task Chat_IsForwardedWithTheUpstreamModel_TheProviderCredential_AndTheRequestId()
    {
        var id = GatewayFixture.RequestId();

        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat"), id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, response.Header("x-request-id"));
        Assert.Equal("chat-v1", response.Header("x-gateway-model-version"));
        Assert.Equal("d-chat-1", response.Header("x-gateway-deployment"));
        var body = JsonDocument.Parse(await response.TextAsync()).RootElement;
        Assert.Equal("Hi there", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var upstream = fixture.UpstreamRequest(id);
        Assert.Equal("/v1/chat/completions", upstream.PathAndQuery);
        Assert.Equal("up-chat-1", JsonDocument.Parse(upstream.Body).RootElement.GetProperty("model").GetString());
        Assert.Equal("Bearer " + TestWorld.UpstreamSecret, upstream.Header("authorization"));
        Assert.DoesNotContain(TestWorld.Key, string.Join(" ", upstream.Headers.Values), StringComparison.Ordinal);
        Assert.Null(upstream.Header("accept-encoding"));
    }

    [Fact]
    public async Task CallerAndProviderHeaders_ThatBelongToTheOtherSide_AreDropped_OthersPass()
    {
        var id = GatewayFixture.RequestId();
        (string, string)[] callerOnly =
        [
            ("Cookie", "session=caller"), ("Accept-Encoding", "gzip"), ("api-key", TestWorld.Key), ("X-Api-Key", TestWorld.Key),
            ("Forwarded", "for=10.0.0.1"), ("x-forwarded-for", "10.0.0.1"), ("X-Forwarded-Host", "caller.example"), ("X-Forwarded-Proto", "https"),
            // What an ingress adds: the caller's address, the bank's host names, ports and paths.
            ("X-Real-IP", "10.0.0.1"), ("X-Forwarded-Port", "443"), ("X-Forwarded-Scheme", "https"), ("X-Forwarded-Prefix", "/ai"),
            ("X-Original-Forwarded-For", "10.0.0.2"), ("X-Original-URI", "/ai/v1/chat/completions"), ("X-Scheme", "https"),
            ("X-Client-IP", "10.0.0.3"), ("True-Client-IP", "10.0.0.4"),
            ("openai-organization", "org-caller"), ("OpenAI-Project", "proj-caller"), ("Anthropic-Version", "2023-01-01"), ("anthropic-beta", "tools"),
        ];

        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat"), id, headers:
            [.. callerOnly, ("x-test-provider-headers", "1"), ("x-caller-trace", "t-1")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = fixture.UpstreamRequest(id);
        foreach (var (name, _) in callerOnly) Assert.True(upstream.Header(name) is null, $"{name} reached the upstream");
        Assert.Equal("Bearer " + TestWorld.UpstreamSecret, upstream.Header("authorization"));
        Assert.Equal(id, upstream.Header("x-request-id"));
        Assert.Equal("t-1", upstream.Header("x-caller-trace"));
        Assert.DoesNotContain(TestWorld.Key, string.Join(" ", upstream.Headers.Values), StringComparison.Ordinal);

        foreach (var name in SmartUpstream.ProviderOnlyHeaders)
        {
            var values = response.Headers.TryGetValues(name, out var v) ? v.ToArray() : [];
            Assert.DoesNotContain("from-upstream", values);
        }
        Assert.Equal(id, response.Header("x-request-id"));
        Assert.Equal("42", response.Header("openai-processing-ms"));
        Assert.Equal("chat-v1", response.Header("x-gateway-model-version"));
    }

    [Fact]
    public async Task ABodyThatArrivesInPieces_IsReadWhole_BeforeTheModelIsResolved()
    {
        var id = GatewayFixture.RequestId();
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new ChunkedContent(Json.ChatBody("chat"), TimeSpan.FromMilliseconds(200)) };
        message.Headers.Add("x-request-id", id);

        using var response = await Proxy.Client.SendAsync(message, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chat-v1", response.Header("x-gateway-model-version"));
        Assert.Equal("up-chat-1", JsonDocument.Parse(fixture.UpstreamRequest(id).Body).RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Canary_RequestIdInTheCanaryShare_GoesToTheCanaryVersion()
    {
        var id = GatewayFixture.RequestId(canary: true);

        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat"), id);

        Assert.Equal("chat-v2", response.Header("x-gateway-model-version"));
        Assert.Equal("up-chat-2", JsonDocument.Parse(fixture.UpstreamRequest(id).Body).RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task RequestId_IsGenerated_WhenMissingOrNotSane()
    {
        using var none = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat-v1"));
        using var insane = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat-v1"), "bad id with spaces");

        Assert.StartsWith("req_", none.Header("x-request-id"), StringComparison.Ordinal);
        Assert.StartsWith("req_", insane.Header("x-request-id"), StringComparison.Ordinal);
        Assert.NotEqual(none.Header("x-request-id"), insane.Header("x-request-id"));
    }

    [Fact]
    public async Task Stream_WithoutIncludeUsage_StripsInjectedUsageChunk()
    {
        var id = GatewayFixture.RequestId();

        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat", stream: true), id, null, ("x-test-observe", "1"));
        var text = await response.TextAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var upstreamBody = JsonDocument.Parse(fixture.UpstreamRequest(id).Body).RootElement;
        Assert.True(upstreamBody.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.DoesNotContain("\"choices\":[]", text, StringComparison.Ordinal);
        Assert.Contains("\"content\":\"Hel\"", text, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
        var observed = fixture.Observed[id];
        Assert.Equal(RelayOutcome.Completed, await observed.Completed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal(new TokenUsage(9, 0, 2), observed.Usage[^1]);
        Assert.Equal("Hello", observed.Text);
    }

    [Fact]
    public async Task Stream_WithIncludeUsage_KeepsTheUsageChunk()
    {
        var id = GatewayFixture.RequestId();

        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions",
            Json.ChatBody("chat", stream: true, extra: ",\"stream_options\":{\"include_usage\":true}"), id);

        Assert.Contains("\"choices\":[],\"usage\":{\"prompt_tokens\":9", await response.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_IsRelayedChunkByChunk_NotBufferedWhole()
    {
        var id = GatewayFixture.RequestId();
        var gate = SmartUpstream.Gates.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat", stream: true), id, null, ("x-test-gate", id));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));

        // The upstream holds the rest of the stream until the first chunk has reached this client.
        var first = await reader.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Contains("\"Hel\"", first, StringComparison.Ordinal);
        gate.SetResult();
        var rest = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"lo\"", rest, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", rest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_AnEventLongerThanTheRelaysBuffer_ArrivesWhole_AndItsTextIsObserved()
    {
        // 20,000 characters in one event, read in pieces: the relay's buffer (4 KiB to start) grows to hold it.
        var id = GatewayFixture.RequestId();
        var content = "lo" + new string('x', 20_000);

        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat", stream: true), id, null, ("x-test-observe", "1"), ("x-test-long-content", "20000"));
        var text = await response.TextAsync();

        Assert.True(content.Length > 4 * SseState.InitialBufferSize); // the buffer has to grow more than once
        Assert.Contains("\"content\":\"" + content + "\"}", text, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
        var observed = fixture.Observed[id];
        Assert.Equal(RelayOutcome.Completed, await observed.Completed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal("Hel" + content, observed.Text);
    }

    [Fact]
    public async Task ClientDisconnect_CancelsTheUpstreamCall()
    {
        var id = GatewayFixture.RequestId();
        var aborted = SmartUpstream.Aborted.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        // No draining on dispose: the client closes its connection at once, as a user closing a tab would.
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = Proxy.Address };
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json.Content(Json.ChatBody("chat", stream: true)) };
        message.Headers.Authorization = new("Bearer", TestWorld.Key);
        message.Headers.Add("x-request-id", id);
        message.Headers.Add("x-test-hang", id);
        message.Headers.Add("x-test-observe", "1");
        var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        var buffer = new byte[64];
        Assert.True(await stream.ReadAsync(buffer, TestContext.Current.CancellationToken) > 0);

        response.Dispose();

        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(RelayOutcome.ClientAborted, await fixture.Observed[id].Completed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task NonStreamingJson_ReportsUsageToObservers()
    {
        var id = GatewayFixture.RequestId();

        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat"), id, null, ("x-test-observe", "1"));
        await response.TextAsync();

        var observed = fixture.Observed[id];
        Assert.Equal(RelayOutcome.Completed, await observed.Completed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal(new TokenUsage(11, 3, 7), Assert.Single(observed.Usage));
    }

    [Fact]
    public async Task DeprecatedVersion_CarriesDeprecationSunsetAndSuccessorHeaders()
    {
        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("legacy"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("legacy-v2", response.Header("x-gateway-model-version"));
        Assert.Equal("@1767225600", response.Header("Deprecation"));
        Assert.Equal("Thu, 01 Jan 2099 00:00:00 GMT", response.Header("Sunset"));
        Assert.Contains("chat-v1", response.Header("Link"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_Responses_AndInference_AreRouted()
    {
        var id1 = GatewayFixture.RequestId();
        using var embeddings = await Send.PostAsync(Proxy, "/v1/embeddings", """{"model":"embed","input":"hello"}""", id1);
        Assert.Equal(HttpStatusCode.OK, embeddings.StatusCode);
        Assert.Equal("up-embed-1", JsonDocument.Parse(fixture.UpstreamRequest(id1).Body).RootElement.GetProperty("model").GetString());

        var id2 = GatewayFixture.RequestId();
        using var responses = await Send.PostAsync(Proxy, "/v1/responses", """{"model":"chat","input":"hello"}""", id2);
        Assert.Equal(HttpStatusCode.OK, responses.StatusCode);
        Assert.Equal("/v1/responses", fixture.UpstreamRequest(id2).PathAndQuery);

        var id3 = GatewayFixture.RequestId();
        using var infer = await Send.PostAsync(Proxy, "/v2/models/scorer/infer", """{"inputs":[{"name":"input","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""", id3);
        Assert.Equal(HttpStatusCode.OK, infer.StatusCode);
        Assert.Equal("scorer-v1", infer.Header("x-gateway-model-version"));
        Assert.Equal("/v2/models/scorer-upstream/infer", fixture.UpstreamRequest(id3).PathAndQuery);
        Assert.Null(fixture.UpstreamRequest(id3).Header("authorization"));
    }

    [Fact]
    public async Task AzureStyleRoute_TakesTheModelFromThePath()
    {
        var id = GatewayFixture.RequestId();

        using var response = await Send.PostAsync(Proxy, "/openai/deployments/chat/chat/completions?api-version=2024-10-21",
            """{"messages":[{"role":"user","content":"hi"}]}""", id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = fixture.UpstreamRequest(id);
        Assert.Equal("/v1/chat/completions", upstream.PathAndQuery);
        Assert.Equal("up-chat-1", JsonDocument.Parse(upstream.Body).RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task AzureProvider_GetsItsDeploymentPath_ApiVersion_AndApiKey()
    {
        var id = GatewayFixture.RequestId();

        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("azure-chat"), id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = fixture.UpstreamRequest(id);
        Assert.Equal("/openai/deployments/my-azure-deployment/chat/completions?api-version=2024-10-21", upstream.PathAndQuery);
        Assert.Equal(TestWorld.UpstreamSecret, upstream.Header("api-key"));
        Assert.Null(upstream.Header("authorization"));
    }

    [Fact]
    public async Task ModelsList_ShowsOnlyWhatTheKeyMayUse_WithVersionMetadata()
    {
        using var client = Proxy.CreateClient(TestWorld.NarrowKey);

        using var response = await client.GetAsync("/v1/models", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = JsonDocument.Parse(await response.TextAsync()).RootElement;
        Assert.Equal("list", root.GetProperty("object").GetString());
        var ids = root.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToArray();
        Assert.Equal(["embed", "embed-v1", "embed-v0"], ids);
        var alias = root.GetProperty("data")[0].GetProperty("gateway");
        Assert.Equal("embed-v1", alias.GetProperty("resolved_version").GetString());
        Assert.Equal("deprecated", alias.GetProperty("versions")[1].GetProperty("status").GetString());

        using var one = await client.GetAsync("/v1/models/embed-v1", TestContext.Current.CancellationToken);
        Assert.Equal("embed-v1", JsonDocument.Parse(await one.TextAsync()).RootElement.GetProperty("id").GetString());
        using var hidden = await client.GetAsync("/v1/models/chat", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task MetricsEndpoint_ExposesGatewayMetrics()
    {
        using var warm = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat-v1"));
        await warm.TextAsync();

        var text = await Proxy.Client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Contains("gateway_proxy_requests", text, StringComparison.Ordinal);
        Assert.Contains("gateway_proxy_request_duration", text, StringComparison.Ordinal);
        Assert.Contains("gen_ai_server_time_to_first_token", text, StringComparison.Ordinal);
    }
}
