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
/// <c>Proxy:Egress:AllowedHosts</c>: a provider whose base URL names another host (a platform
/// admin pointing it at their own server) gets neither its credential nor any request, and the
/// models it served fail over or answer 503; providers on allowed hosts are untouched.
/// </summary>
public sealed class EgressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Chat(string model) =>
        new($$"""{"model":"{{model}}","max_tokens":20,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task AProviderOnAHostNotAllowed_GetsNoRequestAndNoCredential_AndTheOthersServe()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        var allowed = new Uri(upstream.Url);
        // The same server under a name the list does not hold: only the name decides.
        var elsewhere = $"http://localhost:{allowed.Port}";
        var snapshot = TestWorld.Snapshot(upstream.Url, backupUrl: upstream.Url);
        snapshot.Providers = [.. snapshot.Providers.Select(p => p.Id is "openai" or "kserve" ? p with { BaseUrl = elsewhere } : p)];
        await using var proxy = await ProxyHost.StartAsync(snapshot, new Dictionary<string, string?> { ["Proxy:Egress:AllowedHosts:0"] = "http://127.0.0.1" },
            builder => builder.Logging.AddFakeLogging());
        var logs = proxy.App.Services.GetRequiredService<FakeLogCollector>();

        // chat-v1: its primary deployment is on the refused host, its backup on the allowed one.
        using (var failedOver = await proxy.Client.PostAsync("/v1/chat/completions", Chat("chat-v1"), Ct))
            Assert.Equal(HttpStatusCode.OK, failedOver.StatusCode);
        // embed: served only from the refused host.
        using (var refused = await proxy.Client.PostAsync("/v1/embeddings", new StringContent("""{"model":"embed","input":"hi"}""", Encoding.UTF8, "application/json"), Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("upstream_unavailable", JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetProperty("code").GetString());
        }
        // scorer: a provider that needs no credential, on the refused host.
        using (var scorer = await proxy.Client.PostAsync("/v2/models/scorer/infer",
            new StringContent("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1.0]}]}""", Encoding.UTF8, "application/json"), Ct))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, scorer.StatusCode);
        // claude: an allowed host, untouched.
        using (var claude = await proxy.Client.PostAsync("/v1/chat/completions", Chat("claude"), Ct))
            Assert.Equal(HttpStatusCode.OK, claude.StatusCode);

        Assert.Equal(2, upstream.Requests.Count);
        Assert.DoesNotContain(upstream.Requests, r => r.Headers.GetValueOrDefault("host", "").StartsWith("localhost", StringComparison.Ordinal));
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 1103 && r.Level == LogLevel.Warning && r.Message.Contains("openai", StringComparison.Ordinal) && r.Message.Contains("localhost", StringComparison.Ordinal));
        Assert.False(proxy.Store.Current!.Providers["openai"].EgressAllowed);
        Assert.Null(proxy.Store.Current.Providers["openai"].Credential.Secret);
        Assert.NotNull(proxy.Store.Current.Providers["backup"].Credential.Secret);
    }

    [Fact]
    public async Task ACredentialIsReadOnlyAsBound_ToTheHostsItMayBeSentTo()
    {
        // Another secret the proxy can read (as its own client secret or the Redis password would be).
        Environment.SetEnvironmentVariable("PROXY_TESTS_NOT_FOR_PROVIDERS", "a-secret-of-the-proxy");
        await using var upstream = await SmartUpstream.StartAsync();
        var elsewhere = $"http://localhost:{new Uri(upstream.Url).Port}";
        var snapshot = TestWorld.Snapshot(upstream.Url, backupUrl: elsewhere);
        // anthropic: a catalog edit points its credential at the proxy's own secret; backup: a bound credential on a host its binding does not name.
        snapshot.Providers = [.. snapshot.Providers.Select(p => p.Id == "anthropic" ? p with { CredentialRef = "env:PROXY_TESTS_NOT_FOR_PROVIDERS" } : p)];
        await using var proxy = await ProxyHost.StartAsync(snapshot, new Dictionary<string, string?>
        {
            ["Proxy:Egress:Credentials:0:Reference"] = $"env:{TestWorld.CredentialEnv}",
            ["Proxy:Egress:Credentials:0:Hosts:0"] = "http://127.0.0.1",
        }, builder => builder.Logging.AddFakeLogging());
        var logs = proxy.App.Services.GetRequiredService<FakeLogCollector>();

        using (var claude = await proxy.Client.PostAsync("/v1/chat/completions", Chat("claude"), Ct))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, claude.StatusCode);
        using (var chat = await proxy.Client.PostAsync("/v1/chat/completions", Chat("chat-v1"), Ct))
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode); // the bound credential, on its host

        Assert.DoesNotContain(upstream.Requests, r => r.Headers.Values.Any(v => v.Contains("a-secret-of-the-proxy", StringComparison.Ordinal)));
        var current = proxy.Store.Current!;
        Assert.Null(current.Providers["anthropic"].Credential.Secret);
        Assert.Null(current.Providers["backup"].Credential.Secret);
        Assert.NotNull(current.Providers["openai"].Credential.Secret);
        var refused = logs.GetSnapshot().Where(r => r.Id.Id == 1104).Select(r => r.Message).ToList();
        Assert.Contains(refused, m => m.Contains("anthropic", StringComparison.Ordinal) && m.Contains("not in Proxy:Egress:Credentials", StringComparison.Ordinal));
        Assert.Contains(refused, m => m.Contains("backup", StringComparison.Ordinal) && m.Contains("does not allow http://localhost", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Proxy:Egress:Credentials:0:Reference", "OPENAI_API_KEY", "Proxy:Egress:Credentials:0:Reference")]
    [InlineData("Proxy:Egress:Credentials:0:Hosts:0", "https://api.openai.com", "Proxy:Egress:Credentials:0:Hosts:0")]
    public async Task ABadCredentialBinding_StopsTheStart(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { ["Proxy:Egress:Credentials:0:Reference"] = "env:OPENAI_API_KEY", ["Proxy:Egress:Credentials:0:Hosts:0"] = "api.openai.com" };
        settings[key] = value;
        var error = await Record.ExceptionAsync(() => ProxyHost.StartAsync(null, settings));
        Assert.NotNull(error);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        var noHosts = await Record.ExceptionAsync(() => ProxyHost.StartAsync(null, new Dictionary<string, string?> { ["Proxy:Egress:Credentials:0:Reference"] = "env:OPENAI_API_KEY" }));
        Assert.Contains("Proxy:Egress:Credentials:0:Hosts must name at least one host", noHosts!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAList_EveryHostIsAllowed()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        var snapshot = TestWorld.Snapshot($"http://localhost:{new Uri(upstream.Url).Port}");
        await using var proxy = await ProxyHost.StartAsync(snapshot);
        using var response = await proxy.Client.PostAsync("/v1/chat/completions", Chat("chat-v1"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnAllowedHost_IsNotReachedOverPlainHttp_UnlessTheListSaysHttp()
    {
        // The list names the host without 'http://': HTTPS only. A provider on it over plain HTTP (a
        // downgrade an admin could make, sending the key in clear) is refused like another host.
        await using var upstream = await SmartUpstream.StartAsync();
        await using var proxy = await ProxyHost.StartAsync(TestWorld.Snapshot(upstream.Url), new Dictionary<string, string?> { ["Proxy:Egress:AllowedHosts:0"] = "127.0.0.1" },
            builder => builder.Logging.AddFakeLogging());
        using (var refused = await proxy.Client.PostAsync("/v1/chat/completions", Chat("chat-v1"), Ct))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Empty(upstream.Requests);
        Assert.Contains(proxy.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Id.Id == 1103 && r.Message.Contains("http://127.0.0.1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://api.openai.com")]
    [InlineData("api.openai.com:443")]
    [InlineData("api.*.com")]
    [InlineData("")]
    public async Task APatternThatIsNotAHost_StopsTheStart(string pattern)
    {
        var error = await Record.ExceptionAsync(() => ProxyHost.StartAsync(null, new Dictionary<string, string?> { ["Proxy:Egress:AllowedHosts:0"] = pattern }));
        Assert.NotNull(error);
        Assert.Contains("Proxy:Egress:AllowedHosts:0", error.Message, StringComparison.Ordinal);
    }
}
