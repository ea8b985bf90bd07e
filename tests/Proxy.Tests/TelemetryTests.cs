using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Proxy.Telemetry;
using Gateway.Proxy.Tests.Infrastructure;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.Proxy.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task EachRequest_HasASpanWithGenAiAttributes()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ProxyTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var upstream = await SmartUpstream.StartAsync();
        await using var proxy = await ProxyHost.StartAsync(TestWorld.Snapshot(upstream.Url, canaryPercent: 0));
        var id = "span-" + Guid.NewGuid().ToString("N");

        using var response = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("chat"), id);
        await response.TextAsync();
        using var refused = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("private"), id + "-x");
        await refused.TextAsync();

        // The span ends when the entry middleware returns, which may be just after the client read the last byte.
        await Eventually.HoldsAsync(() => spans.Count(a => ((string?)a.GetTagItem("gateway.request_id"))?.StartsWith(id, StringComparison.Ordinal) == true) == 2,
            TimeSpan.FromSeconds(10), "the two requests each end one span");
        var span = spans.Single(a => (string?)a.GetTagItem("gateway.request_id") == id);
        Assert.Equal("gateway chat", span.DisplayName);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("chat", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal("chat-v1", span.GetTagItem("gen_ai.response.model"));
        Assert.Equal("openai", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("d-chat-1", span.GetTagItem("gateway.deployment"));
        Assert.Equal(TestWorld.TeamId, span.GetTagItem("gateway.team"));
        Assert.Equal(11L, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(7L, span.GetTagItem("gen_ai.usage.output_tokens"));
        var refusedSpan = spans.Single(a => (string?)a.GetTagItem("gateway.request_id") == id + "-x");
        Assert.Equal("model_not_allowed", refusedSpan.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Logs_NeverCarryTheKey_TheProviderCredential_OrThePrompt()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        await using var proxy = await ProxyHost.StartAsync(TestWorld.Snapshot(upstream.Url, canaryPercent: 0), configure: builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddFakeLogging();
        });
        const string prompt = "my secret prompt about account 12345";
        var body = Json.ChatBody("chat").Replace("Hello", prompt, StringComparison.Ordinal);

        foreach (var (model, key, headers) in new (string, string, (string, string)[])[]
        {
            ("chat", TestWorld.Key, []),
            ("chat", TestWorld.Key, [("x-test-status", "500")]),
            ("claude", TestWorld.Key, []),
            ("private", TestWorld.Key, []),
            ("chat", TestWorld.RevokedKey, []),
            ("chat", "sk-gw-testkey00001_Xbcdefghijklmnopqrstuvwxyz0123456789ABCD", []),
        })
        {
            using var response = await Send.PostAsync(proxy, "/v1/chat/completions", body.Replace("\"chat\"", $"\"{model}\"", StringComparison.Ordinal), null, key, headers);
            await response.TextAsync();
        }

        var logs = proxy.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot();
        Assert.NotEmpty(logs);
        foreach (var record in logs)
        {
            var text = record.Message + " " + record.Exception;
            Assert.DoesNotContain("Bcdefghijklmnopqrstuvwxyz0123456789ABCD", text, StringComparison.Ordinal);
            Assert.DoesNotContain("bcdefghijklmnopqrstuvwxyz0123456789ABCD", text, StringComparison.Ordinal);
            Assert.DoesNotContain(TestWorld.UpstreamSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(prompt, text, StringComparison.Ordinal);
        }
    }
}
