using System.Net;
using System.Text.Json;
using Gateway.Proxy.Tests.Infrastructure;
using Gateway.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Gateway.Proxy.Tests;

/// <summary>
/// <c>Proxy:ManagementPort</c>: the metrics (teams, versions, deployments and their traffic) are
/// served only on the management port, which serves nothing else but health; the port applications
/// call answers them with the gateway's 404, whatever <c>Host</c> header the caller writes.
/// </summary>
public sealed class ManagementPortTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(ProxyHost Proxy, Uri Traffic, Uri Management)> StartAsync(FakeUpstream upstream)
    {
        var ports = FreePorts.Take(2);
        var (traffic, management) = (ports[0], ports[1]);
        var proxy = await ProxyHost.StartAsync(TestWorld.Snapshot(upstream.Url), new Dictionary<string, string?> { ["Proxy:ManagementPort"] = management.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            builder => builder.WebHost.UseUrls($"http://127.0.0.1:{traffic}", $"http://127.0.0.1:{management}"));
        return (proxy, new Uri($"http://127.0.0.1:{traffic}"), new Uri($"http://127.0.0.1:{management}"));
    }

    [Fact]
    public async Task Metrics_AnswerOnlyOnTheManagementPort_AndItServesNothingButManagement()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        var (proxy, traffic, management) = await StartAsync(upstream);
        await using (proxy)
        {
            using var http = new HttpClient();
            using var chat = await proxy.CreateClient(TestWorld.Key).PostAsync(new Uri(traffic, "/v1/chat/completions"),
                new StringContent("""{"model":"chat","messages":[{"role":"user","content":"Hi"}]}""", System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);

            var metrics = await http.GetStringAsync(new Uri(management, "/metrics"), Ct);
            Assert.Contains("gateway_proxy_requests", metrics, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(management, "/health"), Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(management, "/alive"), Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(traffic, "/health"), Ct)).StatusCode);

            // The traffic port: the gateway's 404, however the caller dresses the request.
            foreach (var path in new[] { "/metrics", "/metrics/", "/METRICS", "/metrics?x=1" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(traffic, path));
                request.Headers.Host = management.Authority;
                using var refused = await http.SendAsync(request, Ct);
                var body = await refused.Content.ReadAsStringAsync(Ct);
                Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"{path} on the traffic port: {(int)refused.StatusCode} {body[..Math.Min(200, body.Length)]}");
                Assert.Equal("not_found", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
            }

            // The management port carries no traffic.
            using var mgmtChat = await proxy.CreateClient(TestWorld.Key).PostAsync(new Uri(management, "/v1/chat/completions"),
                new StringContent("""{"model":"chat","messages":[{"role":"user","content":"Hi"}]}""", System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.NotFound, mgmtChat.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(management, "/v1/models"), Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task WithoutAManagementPort_MetricsAnswerOnTheOnePort()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        await using var proxy = await ProxyHost.StartAsync(TestWorld.Snapshot(upstream.Url));
        using var response = await proxy.Client.GetAsync("/metrics", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("http")]
    public async Task ABadManagementPort_StopsTheStart(string value)
    {
        var error = await Record.ExceptionAsync(() => ProxyHost.StartAsync(null, new Dictionary<string, string?> { ["Proxy:ManagementPort"] = value }));
        Assert.NotNull(error);
    }
}
