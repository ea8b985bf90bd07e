using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Gateway.Proxy.Tests.Infrastructure;

namespace Gateway.Proxy.Tests;

/// <summary>Every refusal in the documented shape and status; bad input never yields a 5xx.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ErrorTests(GatewayFixture fixture)
{
    private ProxyHost Proxy => fixture.Proxy;

    private static async Task<(HttpStatusCode Status, JsonElement Error, JsonElement Root)> ErrorOf(HttpResponseMessage response)
    {
        var root = JsonDocument.Parse(await response.TextAsync()).RootElement;
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.False(string.IsNullOrEmpty(response.Header("x-request-id")));
        var error = root.GetProperty("error");
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _));
        return (response.StatusCode, error, root);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sk-gw-unknown00000_Abcdefghijklmnopqrstuvwxyz0123456789ABCD")]
    [InlineData("sk-gw-testkey00001_Xbcdefghijklmnopqrstuvwxyz0123456789ABCD")]
    [InlineData("garbage")]
    public async Task BadKeys_Get401InvalidApiKey(string? key)
    {
        using var client = Proxy.CreateClient(key);

        using var response = await client.PostAsync("/v1/chat/completions", Json.ChatBody("chat"));

        var (status, error, _) = await ErrorOf(response);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task RevokedAndExpiredKeys_GetTheSame401AsUnknownOnes()
    {
        using var unknown = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat"), key: "sk-gw-unknown00000_Abcdefghijklmnopqrstuvwxyz0123456789ABCD");
        using var revoked = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat"), key: TestWorld.RevokedKey);
        using var expired = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat"), key: TestWorld.ExpiredKey);

        var expected = (await ErrorOf(unknown)).Error.GetProperty("message").GetString();
        Assert.Equal(expected, (await ErrorOf(revoked)).Error.GetProperty("message").GetString());
        Assert.Equal(expected, (await ErrorOf(expired)).Error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Theory]
    [InlineData("private", HttpStatusCode.Forbidden, "model_not_allowed", "permission_error")]
    [InlineData("private-v1", HttpStatusCode.Forbidden, "model_not_allowed", "permission_error")]
    [InlineData("no-such-model", HttpStatusCode.NotFound, "model_not_found", "invalid_request_error")]
    [InlineData("legacy-v1", HttpStatusCode.Gone, "model_retired", "invalid_request_error")]
    [InlineData("embed", HttpStatusCode.BadRequest, "invalid_request", "invalid_request_error")]
    public async Task ModelErrors_HaveTheDocumentedStatusAndCode(string model, HttpStatusCode expected, string code, string type)
    {
        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody(model));

        var (status, error, _) = await ErrorOf(response);
        Assert.Equal(expected, status);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task RetiredVersion_NamesItsSuccessor()
    {
        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("legacy-v1"));

        var (_, error, _) = await ErrorOf(response);
        Assert.Contains("'legacy-v2'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("legacy-v1", response.Header("x-gateway-model-version"));
    }

    [Theory]
    [InlineData("""{"model":"chat","messages":[""", "invalid_json")]
    [InlineData("""{"model":"chat","messages":[{"role":"user","content":"hi"}]""", "invalid_json")]
    [InlineData("""{"model":"chat" "messages":[]}""", "invalid_json")]
    [InlineData("not json at all", "invalid_json")]
    [InlineData("", "invalid_json")]
    [InlineData("""{"messages":[]}""", "missing_model")]
    [InlineData("""{"model":7,"messages":[]}""", "missing_model")]
    [InlineData("""{"model":{"name":"chat"}}""", "missing_model")]
    [InlineData("""{"model":"chat","stream":"true"}""", "invalid_request")]
    [InlineData("""[{"model":"chat"}]""", "invalid_request")]
    public async Task BadBodies_Get400WithTheDocumentedCode(string body, string code)
    {
        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", body);

        var (status, error, _) = await ErrorOf(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task MalformedJson_NamesThePosition()
    {
        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", "{\"model\":\"chat\",\n\"messages\": [}");

        var (_, error, _) = await ErrorOf(response);
        Assert.Contains("line 2, column 14", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidUtf8_Gets400()
    {
        using var content = new ByteArrayContent([.. "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\""u8, 0xFF, 0xFE, .. "\"}]}"u8]);
        content.Headers.ContentType = new("application/json");

        using var response = await Proxy.Client.PostAsync("/v1/chat/completions", content, TestContext.Current.CancellationToken);

        var (status, error, _) = await ErrorOf(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("UTF-8", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeBody_Gets413()
    {
        var huge = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 9 * 1024 * 1024) + "\"}]}";

        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", huge);

        var (status, error, _) = await ErrorOf(response);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("request_too_large", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task HugeChunkedBody_Gets413()
    {
        var huge = new string('a', 9 * 1024 * 1024);
        using var content = new ChunkedContent(huge);

        using var response = await Proxy.Client.PostAsync("/v1/chat/completions", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/nothing")]
    [InlineData("/v1/chat/completions/extra")]
    [InlineData("/")]
    [InlineData("/v3/models/x/infer")]
    public async Task UnknownPaths_Get404NotFound(string path)
    {
        using var response = await Send.PostAsync(Proxy, path, Json.ChatBody("chat"));

        var (status, error, _) = await ErrorOf(response);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("not_found", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task WrongMethod_Gets405()
    {
        using var response = await Proxy.Client.GetAsync("/v1/chat/completions", TestContext.Current.CancellationToken);

        var (status, error, _) = await ErrorOf(response);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal("method_not_allowed", error.GetProperty("code").GetString());
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task CrLfInHeaders_IsRejectedWithA400_NotA5xx()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(Proxy.Address.Host, Proxy.Address.Port, TestContext.Current.CancellationToken);
        var body = Json.ChatBody("chat");
        var request = $"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TestWorld.Key}\r\nx-request-id: abc\rInjected: yes\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, TestContext.Current.CancellationToken);

        var buffer = new byte[4096];
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken);
        var statusLine = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];

        Assert.Equal("HTTP/1.1 400 Bad Request", statusLine);
    }

    [Fact]
    public async Task HeaderInjectionInRequestId_IsNotEchoed()
    {
        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat-v1"), "ok\u0001id");

        Assert.StartsWith("req_", response.Header("x-request-id"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocketWithoutAKey_Gets401()
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new Uri($"ws://{Proxy.Address.Authority}/v1/realtime?model=voice");

        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => socket.ConnectAsync(uri, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task AnthropicEndpointErrors_AlsoCarryTypeError()
    {
        using var client = Proxy.CreateClient(null);
        client.DefaultRequestHeaders.Add("x-api-key", TestWorld.Key);

        using var response = await client.PostAsync("/v1/messages", """{"model":"no-such","max_tokens":5,"messages":[]}""");

        var (status, error, root) = await ErrorOf(response);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("error", root.GetProperty("type").GetString());
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(400, HttpStatusCode.BadRequest, "forced")]
    [InlineData(422, (HttpStatusCode)422, "forced")]
    [InlineData(401, HttpStatusCode.BadGateway, "upstream_error")]
    [InlineData(404, HttpStatusCode.BadGateway, "upstream_error")]
    [InlineData(500, HttpStatusCode.BadGateway, "upstream_error")]
    [InlineData(503, HttpStatusCode.ServiceUnavailable, "upstream_unavailable")]
    [InlineData(429, HttpStatusCode.TooManyRequests, "rate_limit_exceeded")]
    public async Task UpstreamErrors_AreRelayedOrMapped(int upstreamStatus, HttpStatusCode expected, string code)
    {
        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", Json.ChatBody("chat-v1"), null, null,
            ("x-test-status", upstreamStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var (status, error, _) = await ErrorOf(response);
        Assert.Equal(expected, status);
        Assert.Equal(code, error.GetProperty("code").GetString());
        if (upstreamStatus == 429) Assert.Equal("7", response.Header("Retry-After"));
    }

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"claude","messages":[1,"two",null]}""")]
    [InlineData("/v1/chat/completions", """{"model":"claude","messages":[{"role":"user","content":{"x":1}}]}""")]
    [InlineData("/v1/chat/completions", """{"model":"claude","messages":[{"role":"assistant","tool_calls":[5,{"function":7}]}]}""")]
    [InlineData("/v1/chat/completions", """{"model":"claude","messages":[{"role":"tool","content":"x"}]}""")]
    [InlineData("/v1/chat/completions", """{"model":"claude","messages":[],"tools":[1,{"function":{}}]}""")]
    [InlineData("/v1/chat/completions", """{"model":"claude","messages":[],"tool_choice":{"function":5}}""")]
    [InlineData("/v1/chat/completions", """{"model":"claude","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:nonsense"}}]}]}""")]
    [InlineData("/v1/chat/completions", """{"model":"claude","messages":[],"max_tokens":-5,"temperature":"hot","stop":7}""")]
    [InlineData("/v1/messages", """{"model":"chat","messages":[{"role":"user","content":[{"type":"document"}]}]}""")]
    [InlineData("/v1/messages", """{"model":"chat","system":42,"messages":[]}""")]
    [InlineData("/v1/messages", """{"model":"chat","messages":[{"role":"user","content":[{"type":"tool_result"}]}]}""")]
    [InlineData("/v1/messages", """{"model":"chat","messages":[{"role":"user","content":[{"type":"image","source":{"type":"file"}}]}]}""")]
    [InlineData("/v1/messages", """{"model":"chat","messages":[],"tools":[{"type":"web_search_20250305","name":"web"}]}""")]
    [InlineData("/v1/messages", """{"model":"chat","messages":7}""")]
    [InlineData("/v1/embeddings", """{"model":"embed","input":{"deeply":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}}""")]
    [InlineData("/v2/models/scorer/infer", """{"inputs":"not tensors"}""")]
    [InlineData("/v2/models/claude/infer", """{"inputs":[]}""")]
    [InlineData("/openai/deployments/no-such/chat/completions?api-version=x", """{"messages":[]}""")]
    public async Task OddButValidJson_NeverYieldsA5xx(string path, string body)
    {
        using var response = await Send.PostAsync(Proxy, path, body);

        Assert.True((int)response.StatusCode < 500, $"{path} answered {(int)response.StatusCode}: {await response.TextAsync()}");
    }

    [Fact]
    public async Task DeeplyNestedJson_Gets400()
    {
        var deep = "{\"model\":\"chat\",\"x\":" + new string('[', 200) + new string(']', 200) + "}";

        using var response = await Send.PostAsync(Proxy, "/v1/chat/completions", deep);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
