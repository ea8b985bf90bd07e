using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Gateway.MockLlm.Tests;

/// <summary>Azure OpenAI's deployment routes: <c>api-key</c>, <c>api-version</c>, Azure's error shape.</summary>
public sealed class AzureTests(MockLlmFixture host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Request(string path, string body, string? key = "azure-key")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("api-key", key);
        return request;
    }

    [Fact]
    public async Task Chat_OnDeployment_UsesDeploymentAsModel_AndStreams()
    {
        const string path = "/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21";
        using var json = await host.Http.SendAsync(Request(path, """{"messages":[{"role":"user","content":"Hello Azure"}]}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var body = await json.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("gpt-4o-mini", body.GetProperty("model").GetString());
        var text = body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();

        using var stream = await host.Http.SendAsync(Request(path, """{"stream":true,"messages":[{"role":"user","content":"Hello Azure"}]}"""),
            HttpCompletionOption.ResponseHeadersRead, Ct);
        var streamed = new StringBuilder();
        foreach (var e in (await Sse.ReadAllAsync(stream))[..^1])
        {
            if (e.Json.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c)) streamed.Append(c.GetString());
        }
        Assert.Equal(text, streamed.ToString());
    }

    [Fact]
    public async Task Embeddings_OnDeployment_Answer()
    {
        using var response = await host.Http.SendAsync(Request("/openai/deployments/emb/embeddings?api-version=2024-10-21", """{"input":"hello","dimensions":3}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(3, body.GetProperty("data")[0].GetProperty("embedding").GetArrayLength());
    }

    [Theory]
    [InlineData("/openai/deployments/d/chat/completions", "azure-key", 400, "BadRequest")]
    [InlineData("/openai/deployments/d/chat/completions?api-version=", "azure-key", 400, "BadRequest")]
    [InlineData("/openai/deployments/d/embeddings", "azure-key", 400, "BadRequest")]
    [InlineData("/openai/deployments/d/chat/completions?api-version=2024-10-21", null, 401, "401")]
    [InlineData("/openai/deployments/d/unknown?api-version=2024-10-21", "azure-key", 404, "404")]
    public async Task Errors_UseAzureShape(string path, string? key, int status, string code)
    {
        using var response = await host.Http.SendAsync(Request(path, """{"messages":[{"role":"user","content":"x"}],"input":"x"}""", key), Ct);
        Assert.Equal(status, (int)response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(error.TryGetProperty("type", out _), "Azure's shape has code and message, not OpenAI's type");
    }

    [Fact]
    public async Task ForcedServiceUnavailable_UsesAzureShape()
    {
        var request = Request("/openai/deployments/d/chat/completions?api-version=2024-10-21", """{"messages":[{"role":"user","content":"x"}]}""");
        request.Headers.Add("x-mock-status", "503");
        using var response = await host.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("ServiceUnavailable", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("code").GetString());
    }
}
