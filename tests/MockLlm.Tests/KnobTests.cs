using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Gateway.MockLlm.Tests;

/// <summary>The per-request <c>x-mock-*</c> knobs.</summary>
public sealed class KnobTests(MockLlmFixture host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Chat = """{"model":"gpt-4o","messages":[{"role":"user","content":"Knobs please"}]}""";
    private const string StreamUsage = """{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Knobs please"}]}""";

    [Fact]
    public async Task OutputTokens_AndChunks_ShapeTheStream()
    {
        using var response = await host.Http.SendAsync(host.Post("/v1/chat/completions", StreamUsage, null,
            ("x-mock-output-tokens", "10"), ("x-mock-chunks", "4")), HttpCompletionOption.ResponseHeadersRead, Ct);
        var events = await Sse.ReadAllAsync(response);

        var contents = new List<string>();
        foreach (var e in events[..^1])
        {
            var choices = e.Json.GetProperty("choices");
            if (choices.GetArrayLength() == 1 && choices[0].GetProperty("delta").TryGetProperty("content", out var c) && c.GetString() is { Length: > 0 } text)
            {
                contents.Add(text);
            }
        }
        Assert.Equal(4, contents.Count);
        Assert.Equal(10, Tokens.Count(string.Concat(contents)));
        Assert.Equal(10, events[^2].Json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task CachedTokens_AreReported_ClampedToThePrompt()
    {
        var id = "cached-" + Guid.NewGuid().ToString("N");
        var usage = (await PostJsonAsync("/v1/chat/completions", Chat, id, ("x-mock-cached-tokens", "3"))).GetProperty("usage");
        Assert.Equal(3, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(3, (await host.TallyAsync(id)).GetProperty("cached_tokens").GetInt32());

        var clamped = (await PostJsonAsync("/v1/chat/completions", Chat, null, ("x-mock-cached-tokens", "100000"))).GetProperty("usage");
        Assert.Equal(clamped.GetProperty("prompt_tokens").GetInt32(), clamped.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public async Task UsageOmit_LeavesUsageOut_OfJsonAndStreams()
    {
        var id = "omit-json-" + Guid.NewGuid().ToString("N");
        var json = await PostJsonAsync("/v1/chat/completions", Chat, id, ("x-mock-usage", "omit"));
        Assert.False(json.TryGetProperty("usage", out _));
        var tally = await host.TallyAsync(id);
        Assert.False(tally.GetProperty("usage_reported").GetBoolean());
        Assert.True(tally.GetProperty("completion_tokens").GetInt32() > 0);

        using var response = await host.Http.SendAsync(host.Post("/v1/chat/completions", StreamUsage, null, ("x-mock-usage", "omit")), HttpCompletionOption.ResponseHeadersRead, Ct);
        var events = await Sse.ReadAllAsync(response);
        Assert.All(events[..^1], e => Assert.False(e.Json.TryGetProperty("usage", out _)));
        Assert.All(events[..^1], e => Assert.Equal(1, e.Json.GetProperty("choices").GetArrayLength()));

        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"claude","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "k");
        request.Headers.Add("x-mock-usage", "omit");
        using var anthropic = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        var anthropicEvents = await Sse.ReadAllAsync(anthropic);
        Assert.False(anthropicEvents[0].Json.GetProperty("message").TryGetProperty("usage", out _));
        Assert.False(anthropicEvents.Single(e => e.Name == "message_delta").Json.TryGetProperty("usage", out _));
    }

    [Fact]
    public async Task DropAfterChunks_AbortsTheStream_AndTallyKeepsWhatWasSent()
    {
        var id = "drop-" + Guid.NewGuid().ToString("N");
        using var response = await host.Http.SendAsync(host.Post("/v1/chat/completions", StreamUsage, id,
            ("x-mock-output-tokens", "10"), ("x-mock-chunks", "5"), ("x-mock-drop-after-chunks", "2")), HttpCompletionOption.ResponseHeadersRead, Ct);
        var received = new StringBuilder();
        var done = false;
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await foreach (var e in Sse.ReadAsync(response))
            {
                if (e.Data == "[DONE]") done = true;
                else if (e.Json.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c)) received.Append(c.GetString());
            }
        });

        Assert.False(done);
        Assert.Equal(4, Tokens.Count(received.ToString()));
        var tally = await host.TallyAsync(id);
        Assert.False(tally.GetProperty("completed").GetBoolean());
        Assert.Equal(4, tally.GetProperty("completion_tokens").GetInt32());
        Assert.False(tally.GetProperty("usage_reported").GetBoolean());
    }

    [Fact]
    public async Task DropAfterChunks_OnJson_AbortsBeforeAnyByte()
    {
        var id = "drop-json-" + Guid.NewGuid().ToString("N");
        await Assert.ThrowsAsync<HttpRequestException>(() => host.Http.SendAsync(host.Post("/v1/chat/completions", Chat, id, ("x-mock-drop-after-chunks", "0")), Ct));
        var tally = await host.TallyAsync(id);
        Assert.False(tally.GetProperty("completed").GetBoolean());
        Assert.Equal(0, tally.GetProperty("completion_tokens").GetInt32());
    }

    [Theory]
    [InlineData("/v1/chat/completions", "500", "server_error")]
    [InlineData("/v1/chat/completions", "503", "server_error")]
    [InlineData("/v1/embeddings", "500", "server_error")]
    [InlineData("/v1/responses", "503", "server_error")]
    [InlineData("/v1/completions", "429", "requests")]
    public async Task ForcedStatus_UsesOpenAIShape_AndIsTallied(string path, string status, string type)
    {
        var id = "forced-" + Guid.NewGuid().ToString("N");
        using var response = await host.Http.SendAsync(host.Post(path,
            """{"model":"gpt-4o","messages":[{"role":"user","content":"x"}],"input":"x","prompt":"x"}""", id, ("x-mock-status", status)), Ct);
        Assert.Equal(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), (int)response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        var tally = await host.TallyAsync(id);
        Assert.Equal((int)response.StatusCode, tally.GetProperty("status").GetInt32());
        Assert.Equal(0, tally.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(0, tally.GetProperty("prompt_tokens").GetInt32());
    }

    [Theory]
    [InlineData("500", "api_error")]
    [InlineData("429", "rate_limit_error")]
    [InlineData("529", "overloaded_error")]
    public async Task ForcedStatus_UsesAnthropicShape(string status, string type)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "k");
        request.Headers.Add("x-mock-status", status);
        using var response = await host.Http.SendAsync(request, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal(type, body.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task RetryAfterTheSameRequestId_AddsUp()
    {
        var id = "retry-" + Guid.NewGuid().ToString("N");
        using (var first = await host.Http.SendAsync(host.Post("/v1/chat/completions", Chat, id, ("x-mock-status", "429")), Ct))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        }
        var json = await PostJsonAsync("/v1/chat/completions", Chat, id);
        var tally = await host.TallyAsync(id);
        Assert.Equal(2, tally.GetProperty("attempts").GetInt32());
        Assert.Equal(200, tally.GetProperty("status").GetInt32());
        Assert.Equal(json.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), tally.GetProperty("completion_tokens").GetInt32());
    }

    [Theory]
    [InlineData("x-mock-delay-ms", "-1")]
    [InlineData("x-mock-chunks", "0")]
    [InlineData("x-mock-output-tokens", "lots")]
    [InlineData("x-mock-status", "99")]
    [InlineData("x-mock-usage", "sometimes")]
    [InlineData("x-mock-drop-after-chunks", "1.5")]
    public async Task MalformedKnob_Is400_NamingTheHeader(string header, string value)
    {
        using var response = await host.Http.SendAsync(host.Post("/v1/chat/completions", Chat, null, (header, value)), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error");
        Assert.Equal(header, error.GetProperty("param").GetString());
    }

    private async Task<JsonElement> PostJsonAsync(string path, string body, string? id, params (string, string)[] headers)
    {
        using var response = await host.Http.SendAsync(host.Post(path, body, id, headers), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).Clone();
    }
}
