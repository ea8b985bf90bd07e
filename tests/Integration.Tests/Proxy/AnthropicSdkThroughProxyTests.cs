using System.Text;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;

namespace Gateway.Integration.Tests.Proxy;

/// <summary>The official Anthropic SDK through the proxy: natively to a Claude model, and translated to an OpenAI-style one.</summary>
[Collection(ProxyStackCollection.Name)]
public sealed class AnthropicSdkThroughProxyTests(ProxyStackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MessageCreateParams Params(string model, string text = "Hello, Claude") => new()
    {
        Model = model,
        MaxTokens = 256,
        System = "Be brief.",
        Messages = [new UserMessageParam(text)],
    };

    [Theory]
    [InlineData("claude-sonnet", "anthropic.messages")]
    [InlineData("gpt-4o-2024-08-06", "chat.completions")]
    public async Task Messages_Work_NativeAndTranslated(string model, string upstreamEndpoint)
    {
        var id = "it-anthropic-" + Guid.NewGuid().ToString("N");

        var message = await stack.Anthropic(requestId: id).Messages.Create(Params(model), Ct);

        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.False(string.IsNullOrEmpty(text.Text));
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        var tally = await stack.TallyAsync(id);
        Assert.Equal(upstreamEndpoint, tally.GetProperty("endpoint").GetString());
        Assert.Equal(message.Usage.OutputTokens, tally.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(message.Usage.InputTokens + (message.Usage.CacheReadInputTokens ?? 0), tally.GetProperty("prompt_tokens").GetInt64());
    }

    [Theory]
    [InlineData("claude-sonnet")]
    [InlineData("gpt-4o-2024-08-06")]
    public async Task Streaming_Works_NativeAndTranslated(string model)
    {
        var json = await stack.Anthropic().Messages.Create(Params(model, "Tell me more"), Ct);
        json.Content[0].TryPickText(out var jsonText);

        var text = new StringBuilder();
        long? outputTokens = null;
        var sawStart = false;
        var sawStop = false;
        await foreach (var e in stack.Anthropic().Messages.CreateStreaming(Params(model, "Tell me more"), Ct))
        {
            if (e.TryPickStart(out _)) sawStart = true;
            if (e.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta)) text.Append(textDelta.Text);
            if (e.TryPickDelta(out var messageDelta)) outputTokens = messageDelta.Usage.OutputTokens;
            if (e.TryPickStop(out _)) sawStop = true;
        }

        Assert.True(sawStart);
        Assert.True(sawStop);
        Assert.Equal(jsonText!.Text, text.ToString());
        Assert.Equal(json.Usage.OutputTokens, outputTokens);
    }

    [Fact]
    public async Task Errors_SurfaceAsTypedSdkExceptions()
    {
        await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() =>
            stack.Anthropic(key: "sk-gw-nope").Messages.Create(Params("claude-sonnet"), Ct));
        await Assert.ThrowsAsync<AnthropicForbiddenException>(() =>
            stack.Anthropic(key: ProxyStackFixture.RestrictedKey).Messages.Create(Params("claude-sonnet"), Ct));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() =>
            stack.Anthropic().Messages.Create(Params("claude-99"), Ct));
    }
}
