using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Gateway.MockLlm.Tests;

/// <summary>
/// Bad input gets the provider's own error shape and a 4xx, never a 5xx: malformed and truncated
/// JSON, wrong types, missing fields, invalid UTF-8, no key, unknown paths, wrong methods.
/// </summary>
public sealed class BadInputTests(MockLlmFixture host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public enum Shape
    {
        OpenAI,
        Azure,
        Anthropic,
        KServe,
    }

    private static readonly (string Path, Shape Shape)[] PostEndpoints =
    [
        ("/v1/chat/completions", Shape.OpenAI),
        ("/v1/completions", Shape.OpenAI),
        ("/v1/embeddings", Shape.OpenAI),
        ("/v1/responses", Shape.OpenAI),
        ("/openai/deployments/d/chat/completions?api-version=2024-10-21", Shape.Azure),
        ("/openai/deployments/d/embeddings?api-version=2024-10-21", Shape.Azure),
        ("/v1/messages", Shape.Anthropic),
        ("/v2/models/m/infer", Shape.KServe),
    ];

    /// <summary>Bodies no endpoint accepts.</summary>
    private static readonly string[] BadBodies =
    [
        "",
        " ",
        "{",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}",
        "[]",
        "42",
        "\"text\"",
        "null",
        "{\"model\":42}",
        "{\"model\":\"\"}",
        "{\"model\":null,\"messages\":null,\"input\":null,\"prompt\":null,\"inputs\":null}",
        "{\"model\":\"m\",\"messages\":\"hi\",\"input\":{},\"prompt\":{},\"inputs\":{},\"max_tokens\":5}",
        "{\"model\":\"m\",\"messages\":[],\"input\":[],\"prompt\":[],\"inputs\":[],\"max_tokens\":5}",
        "{\"model\":\"m\",\"messages\":[42],\"input\":[true],\"prompt\":[null],\"inputs\":[42],\"max_tokens\":5}",
        "{\"model\":\"m\",\"messages\":[{\"role\":7,\"content\":\"x\"}],\"input\":[[\"a\"]],\"prompt\":[[-1]],\"inputs\":[{\"name\":1}],\"max_tokens\":5}",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":{}}],\"input\":[1.5],\"prompt\":[\"a\",1],\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":\"1\",\"data\":[1]}],\"max_tokens\":5}",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":5}]}],\"input\":\"x\",\"prompt\":\"x\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[\"a\"]}],\"max_tokens\":\"5\",\"encoding_format\":\"hex\",\"dimensions\":0,\"max_output_tokens\":-1,\"max_completion_tokens\":0,\"stream\":\"yes\"}",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"input\":\"x\",\"prompt\":\"x\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1e999]}],\"max_tokens\":1e99,\"max_output_tokens\":1.5,\"dimensions\":99999999,\"stream_options\":{\"include_usage\":true},\"encoding_format\":7}",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\"}],\"input\":[[]],\"prompt\":[[]],\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT8\",\"shape\":[1],\"data\":[[[[1]]]]}],\"n\":3,\"max_tokens\":0,\"stream\":true,\"stream_options\":[]}",
        new string('[', 5000) + new string(']', 5000),
    ];

    public static TheoryData<string, Shape, int> BadRequests()
    {
        var data = new TheoryData<string, Shape, int>();
        foreach (var (path, shape) in PostEndpoints)
        {
            for (var i = 0; i < BadBodies.Length; i++) data.Add(path, shape, i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadBody_Is400_InTheProvidersShape(string path, Shape shape, int body)
    {
        using var response = await SendAsync(HttpMethod.Post, path, Encoding.UTF8.GetBytes(BadBodies[body]));
        await AssertErrorAsync(response, shape, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/v1/chat/completions", Shape.OpenAI)]
    [InlineData("/v1/embeddings", Shape.OpenAI)]
    [InlineData("/openai/deployments/d/chat/completions?api-version=2024-10-21", Shape.Azure)]
    [InlineData("/v1/messages", Shape.Anthropic)]
    [InlineData("/v2/models/m/infer", Shape.KServe)]
    public async Task InvalidUtf8_Is400_InTheProvidersShape(string path, Shape shape)
    {
        var prefix = Encoding.UTF8.GetBytes("{\"model\":\"m\",\"max_tokens\":5,\"input\":\"");
        var suffix = Encoding.UTF8.GetBytes("\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"inputs\":[]}");
        using var response = await SendAsync(HttpMethod.Post, path, [.. prefix, 0xC3, 0x28, 0xFF, .. suffix]);
        await AssertErrorAsync(response, shape, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/v1/chat/completions", Shape.OpenAI)]
    [InlineData("/v1/completions", Shape.OpenAI)]
    [InlineData("/v1/embeddings", Shape.OpenAI)]
    [InlineData("/v1/responses", Shape.OpenAI)]
    [InlineData("/v1/models", Shape.OpenAI)]
    [InlineData("/openai/deployments/d/chat/completions?api-version=2024-10-21", Shape.Azure)]
    [InlineData("/openai/deployments/d/embeddings?api-version=2024-10-21", Shape.Azure)]
    [InlineData("/v1/messages", Shape.Anthropic)]
    public async Task NoKey_Is401_InTheProvidersShape(string path, Shape shape)
    {
        var method = path == "/v1/models" ? HttpMethod.Get : HttpMethod.Post;
        using var response = await SendAsync(method, path, Encoding.UTF8.GetBytes("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"input":"x","prompt":"x"}"""), key: false);
        await AssertErrorAsync(response, shape, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task WrongKeyHeader_ForTheProvider_Is401()
    {
        // OpenAI takes its key from Authorization only: another provider's header does not count.
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "k");
        using var response = await host.Http.SendAsync(request, Ct);
        await AssertErrorAsync(response, Shape.OpenAI, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("GET", "/v1/nothing-here", Shape.OpenAI, 404)]
    [InlineData("POST", "/v1/chat/completion", Shape.OpenAI, 404)]
    [InlineData("GET", "/", Shape.OpenAI, 404)]
    [InlineData("POST", "/openai/deployments/d/images?api-version=1", Shape.Azure, 404)]
    [InlineData("POST", "/v1/messages/batches", Shape.Anthropic, 404)]
    [InlineData("GET", "/v2/models/m/explain", Shape.KServe, 404)]
    [InlineData("GET", "/v1/chat/completions", Shape.OpenAI, 405)]
    [InlineData("PUT", "/v1/embeddings", Shape.OpenAI, 405)]
    [InlineData("GET", "/v1/messages", Shape.Anthropic, 405)]
    [InlineData("DELETE", "/openai/deployments/d/chat/completions?api-version=1", Shape.Azure, 405)]
    [InlineData("GET", "/v2/models/m/infer", Shape.KServe, 405)]
    [InlineData("POST", "/v2/health/ready", Shape.KServe, 405)]
    public async Task UnknownPathOrWrongMethod_AnswersInTheProvidersShape(string method, string path, Shape shape, int status)
    {
        using var response = await SendAsync(new HttpMethod(method), path, method is "GET" or "DELETE" ? null : "{}"u8.ToArray());
        await AssertErrorAsync(response, shape, (HttpStatusCode)status);
    }

    [Fact]
    public async Task Realtime_WithoutUpgrade_Is400()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/realtime?model=m");
        request.Headers.Add("Authorization", "Bearer k");
        using var response = await host.Http.SendAsync(request, Ct);
        await AssertErrorAsync(response, Shape.OpenAI, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task KServe_UnknownVersion_Is404()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v2/models/m/versions/9", null);
        await AssertErrorAsync(response, Shape.KServe, HttpStatusCode.NotFound);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, byte[]? body, bool key = true)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        if (key)
        {
            request.Headers.Add("Authorization", "Bearer k");
            request.Headers.Add("api-key", "k");
            request.Headers.Add("x-api-key", "k");
        }
        return await host.Http.SendAsync(request, Ct);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, Shape shape, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        switch (shape)
        {
            case Shape.OpenAI:
                var error = body.GetProperty("error");
                Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
                Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
                Assert.True(error.TryGetProperty("param", out _) && error.TryGetProperty("code", out _));
                break;
            case Shape.Azure:
                var azure = body.GetProperty("error");
                Assert.False(string.IsNullOrWhiteSpace(azure.GetProperty("code").GetString()));
                Assert.False(string.IsNullOrWhiteSpace(azure.GetProperty("message").GetString()));
                break;
            case Shape.Anthropic:
                Assert.Equal("error", body.GetProperty("type").GetString());
                Assert.Equal(status == HttpStatusCode.Unauthorized ? "authentication_error" : status == HttpStatusCode.NotFound ? "not_found_error" : "invalid_request_error",
                    body.GetProperty("error").GetProperty("type").GetString());
                Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error").GetProperty("message").GetString()));
                break;
            case Shape.KServe:
                Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error").GetString()));
                break;
        }
    }
}
