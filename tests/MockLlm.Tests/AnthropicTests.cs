using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;

namespace Gateway.MockLlm.Tests;

/// <summary>Anthropic Messages through the official Anthropic SDK and on the raw wire.</summary>
public sealed class AnthropicTests(MockLlmFixture host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MessageCreateParams Params(string text = "Hello, Claude", long maxTokens = 1024) => new()
    {
        Model = "claude-sonnet-4-20250514",
        MaxTokens = maxTokens,
        Messages = [new UserMessageParam(text)],
    };

    [Fact]
    public async Task Message_ThroughSdk_ReturnsText_AndTallyMatchesUsage()
    {
        var requestId = "anthropic-json-" + Guid.NewGuid().ToString("N");
        var message = await Clients.Anthropic(host, requestId).Messages.Create(Params(), Ct);

        Assert.Equal("msg_" + requestId, message.ID);
        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal(Tokens.Count(text.Text), message.Usage.OutputTokens);
        Assert.Equal(3 + 3 + Tokens.Count("user") + Tokens.Count("Hello, Claude"), message.Usage.InputTokens);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());

        var tally = await host.TallyAsync(requestId);
        Assert.Equal("anthropic.messages", tally.GetProperty("endpoint").GetString());
        Assert.Equal(message.Usage.InputTokens, tally.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(message.Usage.OutputTokens, tally.GetProperty("completion_tokens").GetInt64());
        Assert.True(tally.GetProperty("completed").GetBoolean());
    }

    [Fact]
    public async Task Stream_ThroughSdk_MatchesJsonText_AndUsageInStartAndDelta()
    {
        var json = await Clients.Anthropic(host).Messages.Create(Params("Tell me more"), Ct);
        json.Content[0].TryPickText(out var jsonText);

        var requestId = "anthropic-stream-" + Guid.NewGuid().ToString("N");
        var text = new StringBuilder();
        long? inputTokens = null, outputTokens = null;
        await foreach (var e in Clients.Anthropic(host, requestId).Messages.CreateStreaming(Params("Tell me more"), Ct))
        {
            if (e.TryPickStart(out var start)) inputTokens = start.Message.Usage.InputTokens;
            if (e.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta)) text.Append(textDelta.Text);
            if (e.TryPickDelta(out var messageDelta)) outputTokens = messageDelta.Usage.OutputTokens;
        }

        Assert.Equal(jsonText!.Text, text.ToString());
        Assert.Equal(json.Usage.InputTokens, inputTokens);
        Assert.Equal(json.Usage.OutputTokens, outputTokens);
        var tally = await host.TallyAsync(requestId);
        Assert.True(tally.GetProperty("streamed").GetBoolean());
        Assert.Equal(outputTokens, tally.GetProperty("completion_tokens").GetInt64());
        Assert.True(tally.GetProperty("usage_reported").GetBoolean());
    }

    [Fact]
    public async Task Stream_RawWire_FollowsAnthropicEventSequence()
    {
        const string body = """{"model":"claude","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}""";
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", "k");
        request.Headers.Add("x-mock-chunks", "2");
        using var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        var names = (await Sse.ReadAllAsync(response)).Select(e => e.Name).ToArray();

        Assert.Equal(["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
            "content_block_stop", "message_delta", "message_stop"], names);
    }

    [Fact]
    public async Task CachedTokens_ReportedAsCacheRead_AndExcludedFromInputTokens()
    {
        var requestId = "anthropic-cache-" + Guid.NewGuid().ToString("N");
        var message = await Clients.Anthropic(host, requestId, ("x-mock-cached-tokens", "4")).Messages.Create(Params("Cache this prompt please"), Ct);

        Assert.Equal(4, message.Usage.CacheReadInputTokens);
        var tally = await host.TallyAsync(requestId);
        Assert.Equal(message.Usage.InputTokens + 4, tally.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(4, tally.GetProperty("cached_tokens").GetInt64());
    }

    [Fact]
    public async Task ForcedRateLimit_SurfacesAsAnthropicRateLimitException()
    {
        var client = Clients.Anthropic(host, null, ("x-mock-status", "429"));
        var ex = await Assert.ThrowsAsync<AnthropicRateLimitException>(() => client.Messages.Create(Params(), Ct));
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        var error = JsonDocument.Parse(ex.ResponseBody).RootElement;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_error", error.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Tools_WhenLastUserMessageNamesOne_AnswersWithToolUse()
    {
        const string body = """
            {"model":"claude","max_tokens":200,
             "system":[{"type":"text","text":"You are a weather bot."}],
             "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},"unit":{"enum":["celsius","fahrenheit"]}}}}],
             "messages":[{"role":"user","content":[{"type":"text","text":"Please use get_weather for Paris"}]}]}
            """;
        var first = await SendAsync(body);
        var second = await SendAsync(body);

        Assert.Equal(first.GetProperty("content")[0].GetProperty("input").GetRawText(), second.GetProperty("content")[0].GetProperty("input").GetRawText());
        Assert.Equal(first.GetProperty("usage").GetRawText(), second.GetProperty("usage").GetRawText());
        Assert.Equal("tool_use", first.GetProperty("stop_reason").GetString());
        var block = first.GetProperty("content")[0];
        Assert.Equal("tool_use", block.GetProperty("type").GetString());
        Assert.Equal("get_weather", block.GetProperty("name").GetString());
        var input = block.GetProperty("input");
        Assert.Equal(JsonValueKind.String, input.GetProperty("city").ValueKind);
        Assert.Equal(JsonValueKind.Number, input.GetProperty("days").ValueKind);
        Assert.Equal("celsius", input.GetProperty("unit").GetString());
        Assert.Equal(Tokens.Count("get_weather") + Tokens.Count(input.GetRawText()), first.GetProperty("usage").GetProperty("output_tokens").GetInt32());

        var plain = await SendAsync(body.Replace("Please use get_weather for Paris", "Just chat", StringComparison.Ordinal));
        Assert.Equal("text", plain.GetProperty("content")[0].GetProperty("type").GetString());
    }

    private async Task<JsonElement> SendAsync(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", "k");
        using var response = await host.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }
}
