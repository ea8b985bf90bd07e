using System.ClientModel;
using System.Net;
using System.Text;
using OpenAI.Chat;

namespace Gateway.MockLlm.Tests;

/// <summary>Chat completions through the official OpenAI SDK and on the raw wire.</summary>
public sealed class OpenAIChatTests(MockLlmFixture host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chat_ThroughSdk_ReturnsCompletion_AndTallyMatchesSdkUsage()
    {
        var requestId = "chat-sdk-" + Guid.NewGuid().ToString("N");
        var client = Clients.Chat(host, requestId: requestId);

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Hello")], cancellationToken: Ct);

        Assert.Equal("chatcmpl-" + requestId, completion.Id);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(Tokens.Count(completion.Content[0].Text), completion.Usage.OutputTokenCount);
        // 3 (priming) + 3 (message) + tokens("user") + tokens("Hello")
        Assert.Equal(3 + 3 + Tokens.Count("user") + Tokens.Count("Hello"), completion.Usage.InputTokenCount);

        var tally = await host.TallyAsync(requestId);
        Assert.Equal("chat.completions", tally.GetProperty("endpoint").GetString());
        Assert.Equal("gpt-4o", tally.GetProperty("model").GetString());
        Assert.False(tally.GetProperty("streamed").GetBoolean());
        Assert.Equal(completion.Usage.InputTokenCount, tally.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(completion.Usage.OutputTokenCount, tally.GetProperty("completion_tokens").GetInt32());
        Assert.True(tally.GetProperty("usage_reported").GetBoolean());
        Assert.True(tally.GetProperty("completed").GetBoolean());
    }

    [Fact]
    public async Task Stream_ThroughSdk_ConcatenatesToJsonText_WithUsageMatchingTally()
    {
        var messages = new List<ChatMessage> { new SystemChatMessage("You are terse."), new UserChatMessage("Stream me a story") };
        ChatCompletion json = await Clients.Chat(host).CompleteChatAsync(messages, cancellationToken: Ct);

        var requestId = "chat-stream-" + Guid.NewGuid().ToString("N");
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        var updates = 0;
        await foreach (var update in Clients.Chat(host, requestId: requestId).CompleteChatStreamingAsync(messages, cancellationToken: Ct))
        {
            updates++;
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            if (update.Usage is not null) usage = update.Usage;
        }

        Assert.Equal(json.Content[0].Text, text.ToString());
        Assert.NotNull(usage);
        Assert.Equal(json.Usage.InputTokenCount, usage.InputTokenCount);
        Assert.Equal(json.Usage.OutputTokenCount, usage.OutputTokenCount);
        Assert.True(updates >= usage.OutputTokenCount, "one content chunk per token by default");
        var tally = await host.TallyAsync(requestId);
        Assert.True(tally.GetProperty("streamed").GetBoolean());
        Assert.Equal(usage.InputTokenCount, tally.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(usage.OutputTokenCount, tally.GetProperty("completion_tokens").GetInt32());
        Assert.True(tally.GetProperty("usage_reported").GetBoolean());
        Assert.True(tally.GetProperty("completed").GetBoolean());
    }

    [Fact]
    public async Task Stream_WithoutIncludeUsage_SendsNoUsageChunk()
    {
        const string body = """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi there"}]}""";
        var requestId = "raw-stream-" + Guid.NewGuid().ToString("N");
        using var response = await host.Http.SendAsync(host.Post("/v1/chat/completions", body, requestId), HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await Sse.ReadAllAsync(response);

        Assert.Equal("[DONE]", events[^1].Data);
        var text = new StringBuilder();
        foreach (var e in events[..^1])
        {
            var chunk = e.Json;
            Assert.False(chunk.TryGetProperty("usage", out _), "no usage field without include_usage");
            Assert.Equal(1, chunk.GetProperty("choices").GetArrayLength());
            if (chunk.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var content)) text.Append(content.GetString());
        }
        Assert.Equal("stop", events[^2].Json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());

        var tally = await host.TallyAsync(requestId);
        Assert.False(tally.GetProperty("usage_reported").GetBoolean());
        Assert.Equal(Tokens.Count(text.ToString()), tally.GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Stream_WithIncludeUsage_EndsWithUsageChunkWithEmptyChoices()
    {
        const string body = """{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi there"}]}""";
        using var response = await host.Http.SendAsync(host.Post("/v1/chat/completions", body), HttpCompletionOption.ResponseHeadersRead, Ct);
        var events = await Sse.ReadAllAsync(response);

        var usageChunk = events[^2].Json;
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.True(usageChunk.GetProperty("usage").GetProperty("total_tokens").GetInt32() > 0);
        foreach (var e in events[..^2])
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Null, e.Json.GetProperty("usage").ValueKind);
        }
    }

    [Fact]
    public async Task ForcedRateLimit_SurfacesAsClientResultException429_WithRetryAfter()
    {
        using var raw = await host.Http.SendAsync(host.Post("/v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"x"}]}""", null,
            ("x-mock-status", "429"), ("x-mock-retry-after", "7")), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, raw.StatusCode);
        Assert.Equal("7", raw.Headers.GetValues("Retry-After").Single());
        var error = System.Text.Json.JsonDocument.Parse(await raw.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());

        var client429 = new ChatClient("gpt-4o", new ApiKeyCredential(MockLlmHost.Key), WithHeader(Clients.OpenAIOptions(host), "x-mock-status", "429"));
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client429.CompleteChatAsync([new UserChatMessage("x")], cancellationToken: Ct));
        Assert.Equal(429, ex.Status);
    }

    [Fact]
    public async Task RequestId_IsEchoed_AndGeneratedWhenAbsent()
    {
        using var given = await host.Http.SendAsync(host.Post("/v1/chat/completions", """{"model":"m","messages":[{"role":"user","content":"x"}]}""", "my-id-1"), Ct);
        Assert.Equal("my-id-1", given.Headers.GetValues("x-request-id").Single());
        Assert.Equal("chatcmpl-my-id-1", System.Text.Json.JsonDocument.Parse(await given.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString());

        using var generated = await host.Http.SendAsync(host.Post("/v1/chat/completions", """{"model":"m","messages":[{"role":"user","content":"x"}]}"""), Ct);
        var id = generated.Headers.GetValues("x-request-id").Single();
        Assert.False(string.IsNullOrWhiteSpace(id));
        Assert.Equal("chatcmpl-" + id, System.Text.Json.JsonDocument.Parse(await generated.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task MaxTokens_CapsTheCompletion_WithFinishReasonLength()
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 3 };
        var client = new ChatClient("gpt-4o", new ApiKeyCredential(MockLlmHost.Key), WithHeader(Clients.OpenAIOptions(host), "x-mock-output-tokens", "50"));
        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Long please")], options, Ct);

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(3, completion.Usage.OutputTokenCount);
        Assert.Equal(3, Tokens.Count(completion.Content[0].Text));
    }

    internal static global::OpenAI.OpenAIClientOptions WithHeader(global::OpenAI.OpenAIClientOptions options, string name, string value)
    {
        options.AddPolicy(new Clients.HeaderPolicy(name, value), System.ClientModel.Primitives.PipelinePosition.PerCall);
        return options;
    }
}
