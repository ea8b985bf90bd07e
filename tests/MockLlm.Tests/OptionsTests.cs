using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Gateway.MockLlm.Tests;

/// <summary>Instance defaults (options section <c>MockLlm</c>), validated on start.</summary>
public sealed class OptionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class ConfiguredHost(params string[] args) : MockLlmHost
    {
        protected override string[] Args => args;
    }

    [Fact]
    public async Task InstanceDefaults_ShapeEveryResponse_AndHeadersStillOverride()
    {
        await using var host = new ConfiguredHost("--MockLlm:OutputTokens=5", "--MockLlm:Chunks=1", "--MockLlm:CachedTokens=2", "--MockLlm:RequireApiKey=false");
        await host.InitializeAsync();

        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hello"}]}"""),
        };
        using var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        var events = await Sse.ReadAllAsync(response);
        // role chunk, one content chunk, finish chunk, usage chunk, [DONE]
        Assert.Equal(5, events.Count);
        var usage = events[^2].Json.GetProperty("usage");
        Assert.Equal(5, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(2, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());

        using var overridden = await host.Http.SendAsync(host.Post("/v1/chat/completions", """{"model":"m","messages":[{"role":"user","content":"hello"}]}""", null, ("x-mock-output-tokens", "9")), Ct);
        Assert.Equal(9, (await overridden.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Theory]
    [InlineData("--MockLlm:MinOutputTokens=50", "--MockLlm:MaxOutputTokens=10")]
    [InlineData("--MockLlm:DelayMs=-5", "--MockLlm:Chunks=1")]
    [InlineData("--MockLlm:Status=200", "--MockLlm:Chunks=1")]
    public async Task BadSettings_StopStartUp(string first, string second)
    {
        var host = new ConfiguredHost(first, second);
        await Assert.ThrowsAsync<OptionsValidationException>(async () => await host.InitializeAsync());
        await host.DisposeAsync();
    }
}
