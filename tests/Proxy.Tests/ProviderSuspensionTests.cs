using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Contracts.Errors;
using Gateway.Proxy.Tests.Infrastructure;

namespace Gateway.Proxy.Tests;

/// <summary>
/// A provider a platform admin suspended (<c>ProviderSpec.Suspended</c>) gets no request and its
/// credential is not read: its models fail over to another provider's deployment, or answer 503;
/// the next snapshot without the suspension serves from it again.
/// </summary>
public sealed class ProviderSuspensionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Chat() =>
        new("""{"model":"chat-v1","max_tokens":20,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task ASuspendedProvider_GetsNoRequest_ItsModelsFailOverOrAnswer503_UntilItIsResumed()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        var snapshot = TestWorld.Snapshot(upstream.Url, backupUrl: upstream.Url);
        snapshot.Providers = [.. snapshot.Providers.Select(p => p.Id is "openai" or "kserve" ? p with { Suspended = true } : p)];
        await using var proxy = await ProxyHost.StartAsync(snapshot);
        Assert.True(proxy.Store.Current!.Providers["openai"].Suspended);
        Assert.Null(proxy.Store.Current.Providers["openai"].Credential.Secret);

        // chat-v1: its primary deployment is on the suspended provider, its backup elsewhere.
        using (var failedOver = await proxy.Client.PostAsync("/v1/chat/completions", Chat(), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, failedOver.StatusCode);
            Assert.Equal("d-chat-backup", failedOver.Headers.GetValues(GatewayHeaders.Deployment).Single());
        }
        // embed: served only by the suspended provider.
        using (var refused = await proxy.Client.PostAsync("/v1/embeddings", new StringContent("""{"model":"embed","input":"hi"}""", Encoding.UTF8, "application/json"), Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(GatewayErrorCodes.UpstreamUnavailable, JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetProperty("code").GetString());
        }
        // scorer: a provider that needs no credential (so nothing but the suspension stops it).
        using (var scorer = await proxy.Client.PostAsync("/v2/models/scorer/infer",
            new StringContent("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1.0]}]}""", Encoding.UTF8, "application/json"), Ct))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, scorer.StatusCode);
        Assert.Single(upstream.Requests);

        // Resumed: the next snapshot serves from it again.
        var resumed = TestWorld.Snapshot(upstream.Url, backupUrl: upstream.Url, revision: 2);
        Assert.True(proxy.Store.TryApply(resumed, "test", out _));
        using var served = await proxy.Client.PostAsync("/v1/chat/completions", Chat(), Ct);
        Assert.Equal("d-chat-1", served.Headers.GetValues(GatewayHeaders.Deployment).Single());
    }
}
