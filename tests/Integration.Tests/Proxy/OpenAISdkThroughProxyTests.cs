using System.ClientModel;
using System.Text;
using Gateway.Contracts.Keys;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace Gateway.Integration.Tests.Proxy;

/// <summary>The official OpenAI .NET SDK through the proxy to the real MockLlm: only the base URL and key change.</summary>
[Collection(ProxyStackCollection.Name)]
public sealed class OpenAISdkThroughProxyTests(ProxyStackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ChatClient Chat(string model, string? requestId = null, string key = DemoKeys.Key, params (string, string)[] headers) =>
        new(model, new ApiKeyCredential(key), stack.OpenAIOptions(requestId, headers));

    [Fact]
    public async Task Chat_ReturnsTheCompletion_AndUsageMatchesWhatMockLlmServed()
    {
        var id = "it-chat-" + Guid.NewGuid().ToString("N");

        ChatCompletion completion = await Chat("gpt-4o-2024-08-06", id).CompleteChatAsync([new UserChatMessage("Hello")], cancellationToken: Ct);

        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        var tally = await stack.TallyAsync(id);
        Assert.Equal("gpt-4o-2024-08-06", tally.GetProperty("model").GetString());
        Assert.Equal(completion.Usage.InputTokenCount, tally.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(completion.Usage.OutputTokenCount, tally.GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Streaming_ConcatenatesToTheSameText_WithUsage()
    {
        ChatMessage[] messages = [new UserChatMessage("Tell me about banks")];
        ChatCompletion json = await Chat("gpt-4o-2024-08-06").CompleteChatAsync(messages, cancellationToken: Ct);
        var id = "it-stream-" + Guid.NewGuid().ToString("N");

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        var updates = 0;
        await foreach (var update in Chat("gpt-4o-2024-08-06", id).CompleteChatStreamingAsync(messages, cancellationToken: Ct))
        {
            updates++;
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            if (update.Usage is not null) usage = update.Usage;
        }

        Assert.Equal(json.Content[0].Text, text.ToString());
        Assert.True(updates > 2);
        Assert.NotNull(usage);
        Assert.Equal(json.Usage.OutputTokenCount, usage.OutputTokenCount);
        var tally = await stack.TallyAsync(id);
        Assert.True(tally.GetProperty("streamed").GetBoolean());
        Assert.Equal(usage.OutputTokenCount, tally.GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatToAClaudeModel_IsTranslated_JsonAndStreaming()
    {
        ChatMessage[] messages = [new SystemChatMessage("Be brief."), new UserChatMessage("Hello Claude")];
        var id = "it-claude-" + Guid.NewGuid().ToString("N");

        ChatCompletion completion = await Chat("claude-sonnet", id).CompleteChatAsync(messages, cancellationToken: Ct);

        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        var tally = await stack.TallyAsync(id);
        Assert.Equal("anthropic.messages", tally.GetProperty("endpoint").GetString());
        Assert.Equal(completion.Usage.OutputTokenCount, tally.GetProperty("completion_tokens").GetInt32());

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in Chat("claude-sonnet").CompleteChatStreamingAsync(messages, cancellationToken: Ct))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            if (update.Usage is not null) usage = update.Usage;
        }
        Assert.Equal(completion.Content[0].Text, text.ToString());
        Assert.Equal(completion.Usage.OutputTokenCount, usage!.OutputTokenCount);
    }

    [Fact]
    public async Task Embeddings_Work()
    {
        var client = new EmbeddingClient("text-embedding-3-small", new ApiKeyCredential(DemoKeys.Key), stack.OpenAIOptions());

        OpenAIEmbedding embedding = await client.GenerateEmbeddingAsync("The bank's fraud model", cancellationToken: Ct);

        Assert.True(embedding.ToFloats().Length > 0);
    }

    [Fact]
    public async Task ModelsList_ShowsTheKeysModels()
    {
        var all = new OpenAIModelClient(new ApiKeyCredential(DemoKeys.Key), stack.OpenAIOptions());
        var restricted = new OpenAIModelClient(new ApiKeyCredential(ProxyStackFixture.RestrictedKey), stack.OpenAIOptions());

        OpenAIModelCollection models = await all.GetModelsAsync(Ct);
        OpenAIModelCollection few = await restricted.GetModelsAsync(Ct);
        OpenAIModel one = await all.GetModelAsync("gpt-4o-2024-11-20", Ct);

        var ids = models.Select(m => m.Id).ToHashSet();
        Assert.Contains("gpt-4o", ids);
        Assert.Contains("gpt-4o-2024-08-06", ids);
        Assert.Contains("claude-sonnet", ids);
        Assert.DoesNotContain("claude-3-5-sonnet-20240620", ids);
        Assert.Equal(["text-embedding-3-small", "text-embedding-3-small-1"], few.Select(m => m.Id).ToArray());
        Assert.Equal("gpt-4o-2024-11-20", one.Id);
    }

    [Fact]
    public async Task Errors_SurfaceAsTypedSdkExceptions()
    {
        var unauthorized = await Assert.ThrowsAsync<ClientResultException>(() =>
            Chat("gpt-4o", key: "sk-gw-nope00000000_NotARealKeyNotARealKeyNotARealKey00000").CompleteChatAsync([new UserChatMessage("x")], cancellationToken: Ct));
        var forbidden = await Assert.ThrowsAsync<ClientResultException>(() =>
            Chat("gpt-4o", key: ProxyStackFixture.RestrictedKey).CompleteChatAsync([new UserChatMessage("x")], cancellationToken: Ct));
        var notFound = await Assert.ThrowsAsync<ClientResultException>(() =>
            Chat("gpt-5-ultra").CompleteChatAsync([new UserChatMessage("x")], cancellationToken: Ct));
        var retired = await Assert.ThrowsAsync<ClientResultException>(() =>
            Chat("claude-3-5-sonnet-20240620").CompleteChatAsync([new UserChatMessage("x")], cancellationToken: Ct));

        Assert.Equal(401, unauthorized.Status);
        Assert.Contains("invalid_api_key", unauthorized.Message, StringComparison.Ordinal);
        Assert.Equal(403, forbidden.Status);
        Assert.Contains("model_not_allowed", forbidden.Message, StringComparison.Ordinal);
        Assert.Equal(404, notFound.Status);
        Assert.Contains("model_not_found", notFound.Message, StringComparison.Ordinal);
        Assert.Equal(410, retired.Status);
        Assert.Contains("claude-sonnet-4-20250514", retired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGuardedVersion_RefusesACardNumber_AsATypedSdkError_AndServesWithoutIt()
    {
        // The demo's gpt-4o-2024-08-06 blocks card numbers, IBANs and credentials.
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => Chat("gpt-4o-2024-08-06").CompleteChatAsync(
            [new SystemChatMessage("You are a payments assistant."), new UserChatMessage("Why was card 4111-1111-1111-1111 declined?")], cancellationToken: Ct));
        Assert.Equal(400, refused.Status);
        Assert.Contains("content_policy_violation", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'messages[1].content' holds a payment card number", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", refused.Message, StringComparison.Ordinal);

        ChatCompletion served = await Chat("gpt-4o-2024-08-06").CompleteChatAsync(
            [new SystemChatMessage("You are a payments assistant."), new UserChatMessage("Why was the customer's card declined?")], cancellationToken: Ct);
        Assert.False(string.IsNullOrEmpty(served.Content[0].Text));
    }

    [Fact]
    public async Task FirstDeploymentAnswering503_FailsOverToTheHealthyOne()
    {
        var id = "it-failover-" + Guid.NewGuid().ToString("N");

        var result = await Chat(ProxyStackFixture.FailoverAlias, id).CompleteChatAsync([new UserChatMessage("Hello")], cancellationToken: Ct);

        Assert.Equal("failover-healthy", result.GetRawResponse().Headers.TryGetValue("x-gateway-deployment", out var deployment) ? deployment : null);
        Assert.Equal(503, (await stack.TallyAsync(id, stack.FailingMockLlm)).GetProperty("status").GetInt32());
        Assert.True((await stack.TallyAsync(id)).GetProperty("completed").GetBoolean());
    }

    [Fact]
    public async Task UpstreamDroppingMidStream_BreaksTheClientStream()
    {
        var client = Chat("gpt-4o-2024-08-06", null, DemoKeys.Key, ("x-mock-drop-after-chunks", "2"), ("x-mock-chunks", "6"));

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var _ in client.CompleteChatStreamingAsync([new UserChatMessage("Hello")], cancellationToken: Ct))
            {
            }
        });
    }
}
