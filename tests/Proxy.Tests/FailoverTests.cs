using System.Net;
using Microsoft.AspNetCore.Http;
using System.Net.Sockets;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Proxy.Tests;

public sealed class FailoverTests
{
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task FirstDeploymentAnswering503_FailsOverToTheNext()
    {
        await using var primary = await FakeUpstream.JsonAsync("""{"error":{"message":"overloaded"}}""", 503);
        await using var backup = await SmartUpstream.StartAsync();
        await using var proxy = await ProxyHost.StartAsync(TestWorld.Snapshot(primary.Url, backupUrl: backup.Url, canaryPercent: 0));

        using var response = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("chat"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("d-chat-backup", response.Header("x-gateway-deployment"));
        Assert.Single(primary.Requests);
        Assert.Single(backup.Requests);
    }

    [Fact]
    public async Task RefusedConnection_FailsOverToTheNext()
    {
        await using var backup = await SmartUpstream.StartAsync();
        await using var proxy = await ProxyHost.StartAsync(TestWorld.Snapshot($"http://127.0.0.1:{ClosedPort()}", backupUrl: backup.Url, canaryPercent: 0));

        using var response = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("chat", stream: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("d-chat-backup", response.Header("x-gateway-deployment"));
        Assert.Contains("[DONE]", await response.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedConnection_WithNoOtherDeployment_Is502()
    {
        await using var proxy = await ProxyHost.StartAsync(TestWorld.Snapshot($"http://127.0.0.1:{ClosedPort()}", canaryPercent: 0));

        using var response = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("chat"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("\"upstream_error\"", await response.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Breaker_OpensAfterConsecutiveFailures_AndRecoversAfterAProbe()
    {
        var failing = true;
        await using var primary = await FakeUpstream.StartAsync(async (context, request) =>
        {
            if (failing)
            {
                context.Response.StatusCode = 500;
                return;
            }
            await SmartUpstream.HandleAsync(context, request);
        });
        await using var backup = await SmartUpstream.StartAsync();
        var time = new FakeTimeProvider(TestWorld.Now);
        await using var proxy = await ProxyHost.StartAsync(
            TestWorld.Snapshot(primary.Url, backupUrl: backup.Url, canaryPercent: 0),
            new Dictionary<string, string?> { ["Proxy:Routing:BreakerFailureThreshold"] = "2", ["Proxy:Routing:BreakerOpenSeconds"] = "30" },
            builder => builder.Services.AddSingleton<TimeProvider>(time));

        async Task<string> Deployment()
        {
            using var response = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("chat"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return response.Header("x-gateway-deployment");
        }

        Assert.Equal("d-chat-backup", await Deployment());
        Assert.Equal("d-chat-backup", await Deployment());
        Assert.Equal(2, primary.Requests.Count);

        // Open: the primary is not tried at all.
        Assert.Equal("d-chat-backup", await Deployment());
        Assert.Equal(2, primary.Requests.Count);

        // After the open period one probe goes through; it succeeds and closes the circuit.
        failing = false;
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("d-chat-1", await Deployment());
        Assert.Equal("d-chat-1", await Deployment());
        Assert.Equal(4, primary.Requests.Count);
    }

    [Fact]
    public async Task UpstreamSlowerThanTheFirstByteTimeout_Is504()
    {
        await using var slow = await FakeUpstream.StartAsync(async (context, _) => await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        var snapshot = TestWorld.Snapshot(slow.Url, canaryPercent: 0);
        snapshot = snapshot with { Providers = [.. snapshot.Providers.Select(p => p with { FirstByteTimeoutSeconds = 1 })] };
        await using var proxy = await ProxyHost.StartAsync(snapshot);

        using var response = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("chat"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("\"upstream_timeout\"", await response.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamSilentForLongerThanTheIdleTimeout_IsCutOff()
    {
        await using var stalls = await FakeUpstream.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        });
        await using var proxy = await ProxyHost.StartAsync(TestWorld.Snapshot(stalls.Url, canaryPercent: 0));

        using var response = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("chat", stream: true));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The provider's idle timeout is 2 s in the test world: the client sees a broken stream, not a clean end.
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.IsType<IOException>(ex.InnerException, exactMatch: false);
    }

    [Fact]
    public async Task MissingCredential_SkipsTheDeployment()
    {
        await using var backup = await SmartUpstream.StartAsync();
        var snapshot = TestWorld.Snapshot(backup.Url, backupUrl: backup.Url, canaryPercent: 0);
        snapshot = snapshot with
        {
            Providers = [.. snapshot.Providers.Select(p => p.Id == "openai" ? p with { CredentialRef = "env:PROXY_TESTS_SURELY_UNSET" } : p)],
        };
        await using var proxy = await ProxyHost.StartAsync(snapshot);

        using var response = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("chat"));

        Assert.Equal("d-chat-backup", response.Header("x-gateway-deployment"));
    }
}
