using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.Proxy.Relay;
using Gateway.Proxy.Tests.Infrastructure;

namespace Gateway.Proxy.Tests;

[Collection(GatewayCollection.Name)]
public sealed class TranslationPipelineTests(GatewayFixture fixture)
{
    private ProxyHost Proxy => fixture.Proxy;

    private const string MessagesBody = """{"model":"claude","max_tokens":50,"system":"Be brief.","messages":[{"role":"user","content":"Hello"}]}""";

    private async Task<HttpResponseMessage> PostAnthropicAsync(string body, string id, params (string, string)[] extra)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json.Content(body) };
        message.Headers.Add("x-api-key", TestWorld.Key);
        message.Headers.Add("anthropic-version", "2023-06-01");
        message.Headers.Add("x-request-id", id);
        foreach (var (name, value) in extra) message.Headers.Add(name, value);
        using var client = Proxy.CreateClient(null);
        var response = await client.SendAsync(message, TestContext.Current.CancellationToken);
        await response.Content.LoadIntoBufferAsync(TestContext.Current.CancellationToken);
        return response;
    }

    [Fact]
    public async Task Messages_ToAnAnthropicProvider_PassThroughWithItsCredential()
    {
        var id = GatewayFixture.RequestId();

        using var response = await PostAnthropicAsync(MessagesBody, id, ("x-test-observe", "1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.TextAsync()).RootElement;
        Assert.Equal("Hello from Claude", body.GetProperty("content")[0].GetProperty("text").GetString());
        var upstream = fixture.UpstreamRequest(id);
        Assert.Equal("/v1/messages", upstream.PathAndQuery);
        Assert.Equal(TestWorld.UpstreamSecret, upstream.Header("x-api-key"));
        Assert.Equal("2023-06-01", upstream.Header("anthropic-version"));
        Assert.Equal("up-claude-1", JsonDocument.Parse(upstream.Body).RootElement.GetProperty("model").GetString());
        await fixture.Observed[id].Completed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(new TokenUsage(10, 0, 5), fixture.Observed[id].Usage[^1]);
    }

    [Fact]
    public async Task ChatCompletions_ToAnAnthropicProvider_AreTranslatedBothWays()
    {
        var id = GatewayFixture.RequestId();

        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions",
            """{"model":"claude","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello"}]}""", id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = JsonDocument.Parse(fixture.UpstreamRequest(id).Body).RootElement;
        Assert.Equal("Be brief.", upstream.GetProperty("system").GetString());
        Assert.Equal(512, upstream.GetProperty("max_tokens").GetInt32());
        var body = JsonDocument.Parse(await response.TextAsync()).RootElement;
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.Equal("Hello from Claude", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(15, body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task StreamingChatCompletions_ToAnAnthropicProvider_AreTranslatedChunkByChunk()
    {
        var id = GatewayFixture.RequestId();

        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions",
            """{"model":"claude","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hello"}]}""", id, null, ("x-test-observe", "1"));
        var text = await response.TextAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var chunks = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", chunks[^1]);
        var content = new StringBuilder();
        foreach (var chunk in chunks[..^1])
        {
            var json = JsonDocument.Parse(chunk["data: ".Length..]).RootElement;
            Assert.Equal("chat.completion.chunk", json.GetProperty("object").GetString());
            if (json.GetProperty("choices").GetArrayLength() > 0
                && json.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var delta))
                content.Append(delta.GetString());
        }
        Assert.Equal("Hello there", content.ToString());
        Assert.Contains("\"finish_reason\":\"stop\"", text, StringComparison.Ordinal);
        Assert.Contains("\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5", text, StringComparison.Ordinal);
        var observed = fixture.Observed[id];
        Assert.Equal(RelayOutcome.Completed, await observed.Completed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal("Hello there", observed.Text);
    }

    [Fact]
    public async Task Messages_ToAnOpenAIProvider_AreTranslatedBothWays()
    {
        var id = GatewayFixture.RequestId();

        using var response = await PostAnthropicAsync(MessagesBody.Replace("\"claude\"", "\"chat\"", StringComparison.Ordinal), id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = fixture.UpstreamRequest(id);
        Assert.Equal("/v1/chat/completions", upstream.PathAndQuery);
        Assert.Null(upstream.Header("anthropic-version"));
        Assert.Equal("system", JsonDocument.Parse(upstream.Body).RootElement.GetProperty("messages")[0].GetProperty("role").GetString());
        var body = JsonDocument.Parse(await response.TextAsync()).RootElement;
        Assert.Equal("message", body.GetProperty("type").GetString());
        Assert.Equal("Hi there", body.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("end_turn", body.GetProperty("stop_reason").GetString());
        Assert.Equal(8, body.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(3, body.GetProperty("usage").GetProperty("cache_read_input_tokens").GetInt32());
    }

    [Fact]
    public async Task StreamingMessages_ToAnOpenAIProvider_BecomeAnthropicEvents()
    {
        var id = GatewayFixture.RequestId();

        using var response = await PostAnthropicAsync(
            """{"model":"chat","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"Hello"}]}""", id);
        var text = await response.TextAsync();

        var names = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('\n')[0]).ToArray();
        Assert.Equal(["event: message_start", "event: content_block_start", "event: content_block_delta", "event: content_block_delta",
            "event: content_block_stop", "event: message_delta", "event: message_stop"], names);
        Assert.Contains("\"output_tokens\":2", text, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(fixture.UpstreamRequest(id).Body).RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task UpstreamClientErrors_AreReshapedForTheClientFormat()
    {
        var id = GatewayFixture.RequestId();

        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("claude"), id, null, ("x-test-status", "400"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.TextAsync()).RootElement;
        Assert.False(error.TryGetProperty("type", out _));
        Assert.Equal("forced by test", error.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Realtime_RelaysBothWays_AndReportsUsage()
    {
        var id = GatewayFixture.RequestId();
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("realtime");
        socket.Options.AddSubProtocol("openai-insecure-api-key." + TestWorld.Key);
        socket.Options.SetRequestHeader("x-request-id", id);
        socket.Options.SetRequestHeader("x-test-observe", "1");
        socket.Options.CollectHttpResponseDetails = true;

        await socket.ConnectAsync(new Uri($"ws://{Proxy.Address.Authority}/v1/realtime?model=voice"), TestContext.Current.CancellationToken);

        Assert.Equal("realtime", socket.SubProtocol);
        Assert.Equal("voice-v1", socket.HttpResponseHeaders!["x-gateway-model-version"].First());
        Assert.Contains("session.created", await ReceiveAsync(socket), StringComparison.Ordinal);
        await socket.SendAsync("""{"type":"response.create"}"""u8.ToArray(), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);
        Assert.Contains("response.text.delta", await ReceiveAsync(socket), StringComparison.Ordinal);
        Assert.Contains("response.done", await ReceiveAsync(socket), StringComparison.Ordinal);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", TestContext.Current.CancellationToken);

        var upstream = fixture.UpstreamRequest(id);
        Assert.Equal("/v1/realtime?model=up-voice-1", upstream.PathAndQuery);
        Assert.Equal("Bearer " + TestWorld.UpstreamSecret, upstream.Header("authorization"));
        Assert.DoesNotContain(TestWorld.Key, upstream.Header("sec-websocket-protocol") ?? "", StringComparison.Ordinal);
        var observed = fixture.Observed[id];
        Assert.Equal(RelayOutcome.Completed, await observed.Completed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal(new TokenUsage(4, 1, 2), observed.Usage[^1]);
        Assert.Equal("Hey", observed.Text);
    }

    private static async Task<string> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[8192];
        var result = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }
}
