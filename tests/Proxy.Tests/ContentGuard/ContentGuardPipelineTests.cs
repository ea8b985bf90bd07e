using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Contracts.Errors;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Telemetry;
using Gateway.Proxy.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.Proxy.Tests.ContentGuard;

/// <summary>
/// A guarded version on the real pipeline: blocked requests are answered 400
/// <c>content_policy_violation</c> in the client's format and never reach the provider or a limit;
/// redacted ones reach it redacted; the security log and the metric name kinds, never the text;
/// versions without a guard are untouched.
/// </summary>
public sealed class ContentGuardPipelineTests
{
    private const string Card = "4111 1111 1111 1111";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static StringContent Chat(string model, string content) =>
        Json($$"""{"model":"{{model}}","max_tokens":20,"messages":[{"role":"system","content":"You help."},{"role":"user","content":{{JsonSerializer.Serialize(content)}}}]}""");

    [Fact]
    public async Task ABlockingGuard_Answers400_NamingWhereAndWhat_AndNothingLeaves()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        var guard = new ContentGuardSpec(GuardAction.Block, [ContentDetector.PaymentCard, ContentDetector.Iban]);
        await using var proxy = await ProxyHost.StartAsync(Guarded(upstream.Url, "chat-v1", guard), configure: b => b.Logging.AddFakeLogging());
        using var findings = Findings(proxy);

        using var refused = await proxy.Client.PostAsync("/v1/chat/completions", Chat("chat-v1", $"Refund {Card} to DE89370400440532013000"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var text = await refused.Content.ReadAsStringAsync(Ct);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal(GatewayErrorCodes.ContentPolicyViolation, error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("messages[1].content", error.GetProperty("param").GetString());
        Assert.Equal("The request holds a payment card number and an IBAN (2 findings, the first in 'messages[1].content'), which the model version 'chat-v1' may not receive: the request was not sent. Remove them and try again.",
            error.GetProperty("message").GetString());
        Assert.DoesNotContain("4111", text, StringComparison.Ordinal);
        Assert.Equal("chat-v1", refused.Headers.GetValues(GatewayHeaders.ModelVersion).Single());
        Assert.Empty(upstream.Requests);

        // The security log: who, which version, what kinds, where; never the number.
        var log = Assert.Single(proxy.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Id.Id == 4101);
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Contains("payment-card×1, iban×1", log.Message, StringComparison.Ordinal);
        Assert.Contains("testkey00001", log.Message, StringComparison.Ordinal);
        Assert.Contains(TestWorld.TeamId, log.Message, StringComparison.Ordinal);
        Assert.Contains("messages[1].content", log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("DE89", log.Message, StringComparison.Ordinal);
        var measured = findings.GetMeasurementSnapshot();
        Assert.Equal(1, measured.Single(m => (string?)m.Tags["gateway.finding"] == "payment-card").Value);
        Assert.All(measured, m => Assert.Equal("block", m.Tags["gateway.guard.action"]));

        // The same text to a version without a guard goes through as sent.
        using var other = await proxy.Client.PostAsync("/v1/chat/completions", Chat("chat-v2", $"Refund {Card}"), Ct);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Contains(Card, Encoding.UTF8.GetString(Assert.Single(upstream.Requests).Body), StringComparison.Ordinal);

        // And a clean request to the guarded version is served.
        using var clean = await proxy.Client.PostAsync("/v1/chat/completions", Chat("chat-v1", "Summarise our card policy"), Ct);
        Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
        Assert.False(clean.Headers.Contains(GatewayHeaders.Redacted));
    }

    [Fact]
    public async Task ABlockedRequest_TakesNothingFromTheLimits()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        var snapshot = Guarded(upstream.Url, "chat-v1", new ContentGuardSpec(GuardAction.Block, [ContentDetector.PaymentCard]));
        snapshot.Subscriptions = [.. snapshot.Subscriptions.Select(s => s.Id == "sub-chat" ? s with { Limits = new LimitSpec(RequestsPerMinute: 1) } : s)];
        await using var proxy = await ProxyHost.StartAsync(snapshot);

        for (var i = 0; i < 3; i++)
        {
            using var refused = await proxy.Client.PostAsync("/v1/chat/completions", Chat("chat-v1", $"card {Card}"), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        using var first = await proxy.Client.PostAsync("/v1/chat/completions", Chat("chat-v1", "hello"), Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await proxy.Client.PostAsync("/v1/chat/completions", Chat("chat-v1", "hello"), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    [Fact]
    public async Task AnAnthropicClient_GetsTheRefusalInItsOwnShape()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        await using var proxy = await ProxyHost.StartAsync(Guarded(upstream.Url, "claude-v1", new ContentGuardSpec(GuardAction.Block, [ContentDetector.Credential])));
        using var refused = await proxy.Client.PostAsync("/v1/messages",
            Json("""{"model":"claude-v1","max_tokens":20,"messages":[{"role":"user","content":[{"type":"text","text":"my key AKIAIOSFODNN7EXAMPLE"}]}]}"""), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var root = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("error", root.GetProperty("type").GetString());
        Assert.Equal("messages[0].content[0].text", root.GetProperty("error").GetProperty("param").GetString());
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task ARedactingGuard_SendsTheRedactedPrompt_AndServesTheAnswer()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        var guard = new ContentGuardSpec(GuardAction.Redact, [ContentDetector.PaymentCard]) { Patterns = ["(?i)project\\s+falcon"] };
        await using var proxy = await ProxyHost.StartAsync(Guarded(upstream.Url, "chat-v1", guard), configure: b => b.Logging.AddFakeLogging());
        using var findings = Findings(proxy);

        using var served = await proxy.Client.PostAsync("/v1/chat/completions", Chat("chat-v1", $"Card {Card} for Project Falcon"), Ct);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("payment-card=1, pattern=1", served.Headers.GetValues(GatewayHeaders.Redacted).Single()); // the application learns its prompt was changed
        var sent = JsonDocument.Parse(Assert.Single(upstream.Requests).Body).RootElement;
        Assert.Equal("Card [REDACTED:payment-card] for [REDACTED:pattern]", sent.GetProperty("messages")[1].GetProperty("content").GetString());
        Assert.Equal("up-chat-1", sent.GetProperty("model").GetString()); // the body was re-read: the model is still replaced
        Assert.Equal(20, sent.GetProperty("max_tokens").GetInt32());

        var log = Assert.Single(proxy.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Id.Id == 4102);
        Assert.Contains("payment-card×1, pattern×1", log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Falcon", log.Message, StringComparison.Ordinal);
        Assert.Equal(2, findings.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.All(findings.GetMeasurementSnapshot(), m => Assert.Equal("redact", m.Tags["gateway.guard.action"]));
    }

    [Fact]
    public async Task ARedactedStream_IsRelayed()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        await using var proxy = await ProxyHost.StartAsync(Guarded(upstream.Url, "chat-v1", new ContentGuardSpec(GuardAction.Redact, [ContentDetector.Iban])));
        using var streamed = await proxy.Client.PostAsync("/v1/chat/completions",
            Json("""{"model":"chat-v1","stream":true,"messages":[{"role":"user","content":"IBAN GB82 WEST 1234 5698 7654 32"}]}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        Assert.Equal("iban=1", streamed.Headers.GetValues(GatewayHeaders.Redacted).Single());
        Assert.Contains("data: [DONE]", await streamed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var sent = JsonDocument.Parse(Assert.Single(upstream.Requests).Body).RootElement;
        Assert.Equal("IBAN [REDACTED:iban]", sent.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.True(sent.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task KServeBinaryRequests_AreRedactedInTheirJson_AndTheTensorsFollowUnchanged()
    {
        await using var upstream = await FakeUpstream.JsonAsync("""{"model_name":"scorer-upstream","outputs":[]}""");
        var guard = new ContentGuardSpec(GuardAction.Redact, []) { Patterns = ["CUST-[0-9]{6}"] };
        await using var proxy = await ProxyHost.StartAsync(Guarded(upstream.Url, "scorer-v1", guard));
        var json = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"id","shape":[1],"datatype":"BYTES","data":["CUST-123456"]},{"name":"x","shape":[2],"datatype":"FP32","parameters":{"binary_data_size":8}}]}""");
        byte[] tensors = [0, 0, 128, 63, 0, 0, 0, 64];
        using var content = new ByteArrayContent([.. json, .. tensors]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var served = await proxy.Client.PostAsync("/v2/models/scorer/infer", content, Ct);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var sent = Assert.Single(upstream.Requests);
        var length = int.Parse(sent.Header("Inference-Header-Content-Length")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(sent.Body.Length - tensors.Length, length);
        Assert.Equal("[REDACTED:pattern]", JsonDocument.Parse(sent.Body.AsMemory(0, length)).RootElement.GetProperty("inputs")[0].GetProperty("data")[0].GetString());
        Assert.Equal(tensors, sent.Body[length..]);
    }

    private static MetricCollector<long> Findings(ProxyHost proxy) =>
        new(proxy.App.Services.GetRequiredService<IMeterFactory>(), ProxyTelemetry.Name, "gateway.proxy.content_guard.findings");

    private static GatewaySnapshot Guarded(string upstreamUrl, string version, ContentGuardSpec guard)
    {
        var snapshot = TestWorld.Snapshot(upstreamUrl, canaryPercent: 0);
        snapshot.Models = [.. snapshot.Models.Select(m => m with
        {
            Versions = [.. m.Versions.Select(v => v.Name == version ? v with { ContentGuard = guard } : v)],
        })];
        return snapshot;
    }
}
