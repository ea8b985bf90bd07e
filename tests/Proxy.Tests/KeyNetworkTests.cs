using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.Proxy.Tests;

/// <summary>
/// A key's <c>allowedNetworks</c>: the key works only from those networks (403 <c>ip_not_allowed</c>
/// from anywhere else, and nothing reaches the provider), judged by the connection's address, or,
/// behind a proxy listed in <c>Proxy:ClientAddress:TrustedProxies</c>, by the address it forwarded;
/// a caller's own <c>X-Forwarded-For</c> counts for nothing. Checked on every request, also on a
/// connection whose key is already known.
/// </summary>
public sealed class KeyNetworkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Chat() =>
        new("""{"model":"chat-v1","max_tokens":20,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json");

    private static GatewaySnapshot Limited(string upstream, params string[] networks)
    {
        var snapshot = TestWorld.Snapshot(upstream);
        snapshot.Keys = [.. snapshot.Keys.Select(k => k.KeyId == "testkey00001" ? k with { AllowedNetworks = networks } : k)];
        return snapshot;
    }

    private static async Task<(HttpStatusCode Status, string? Code)> SendAsync(HttpClient client, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat() };
        if (forwardedFor is not null) request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var code = response.IsSuccessStatusCode ? null : JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString();
        return (response.StatusCode, code);
    }

    [Fact]
    public async Task AKeyLimitedToOtherNetworks_IsRefusedWith403_AndNothingReachesTheProvider()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        await using var proxy = await ProxyHost.StartAsync(Limited(upstream.Url, "10.0.0.0/8", "2001:db8::/32"), configure: b => b.Logging.AddFakeLogging());

        using var response = await proxy.Client.PostAsync("/v1/chat/completions", Chat(), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error");
        Assert.Equal(("ip_not_allowed", "permission_error"), (error.GetProperty("code").GetString(), error.GetProperty("type").GetString()));
        Assert.Contains("127.0.0.1", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(upstream.Requests);
        // Its own X-Forwarded-For does not help a caller: no proxy in front is trusted.
        Assert.Equal((HttpStatusCode.Forbidden, "ip_not_allowed"), await SendAsync(proxy.Client, "10.1.2.3"));
        // Other keys of the team are not limited.
        using var other = proxy.CreateClient(TestWorld.NarrowKey);
        using (var embed = await other.PostAsync("/v1/embeddings", new StringContent("""{"model":"embed","input":"hi"}""", Encoding.UTF8, "application/json"), Ct))
            Assert.Equal(HttpStatusCode.OK, embed.StatusCode);

        var logs = proxy.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Where(r => r.Id.Id == 3002).ToList();
        Assert.Equal(2, logs.Count);
        Assert.All(logs, log =>
        {
            Assert.Equal(LogLevel.Warning, log.Level);
            Assert.Contains("testkey00001", log.Message, StringComparison.Ordinal);
            Assert.Contains("127.0.0.1", log.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(TestWorld.Key, log.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task AKeyLimitedToTheCallersNetwork_Serves()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        await using var proxy = await ProxyHost.StartAsync(Limited(upstream.Url, "10.0.0.0/8", "127.0.0.0/8"));

        Assert.Equal((HttpStatusCode.OK, null), await SendAsync(proxy.Client));
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task BehindATrustedProxy_TheForwardedAddressDecides_OnEveryRequestOfAConnection()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        await using var proxy = await ProxyHost.StartAsync(Limited(upstream.Url, "10.20.0.0/16"),
            new Dictionary<string, string?> { ["Proxy:ClientAddress:TrustedProxies:0"] = "127.0.0.1", ["Proxy:ClientAddress:TrustedProxies:1"] = "192.168.0.0/16" });

        // One kept-alive connection, as from an ingress, carrying callers from different places.
        Assert.Equal((HttpStatusCode.OK, null), await SendAsync(proxy.Client, "10.20.30.40"));
        Assert.Equal((HttpStatusCode.Forbidden, "ip_not_allowed"), await SendAsync(proxy.Client, "10.21.0.1"));
        // Read from the right: what the caller wrote before the trusted hops counts for nothing…
        Assert.Equal((HttpStatusCode.Forbidden, "ip_not_allowed"), await SendAsync(proxy.Client, "10.20.30.40, 203.0.113.9"));
        // …and trusted hops are passed over to the first address they forwarded.
        Assert.Equal((HttpStatusCode.OK, null), await SendAsync(proxy.Client, "203.0.113.9, 10.20.0.7, 192.168.1.1"));
        // A header that cannot be read leaves the trusted proxy's own address, which the key does not allow.
        Assert.Equal((HttpStatusCode.Forbidden, "ip_not_allowed"), await SendAsync(proxy.Client, "10.20.30.40, not-an-address"));
        // No header: the connection's own address.
        Assert.Equal((HttpStatusCode.Forbidden, "ip_not_allowed"), await SendAsync(proxy.Client));
        Assert.Equal(2, upstream.Requests.Count);
    }

    [Fact]
    public async Task ATrustedProxyThatIsNotANetwork_StopsTheStart()
    {
        var error = await Record.ExceptionAsync(async () =>
        {
            await using var proxy = await ProxyHost.StartAsync(TestWorld.Snapshot("http://127.0.0.1:9"),
                new Dictionary<string, string?> { ["Proxy:ClientAddress:TrustedProxies:0"] = "10.0.0.1/8" });
        });
        Assert.NotNull(error);
        Assert.Contains("Proxy:ClientAddress:TrustedProxies:0", error.ToString(), StringComparison.Ordinal);
    }
}
