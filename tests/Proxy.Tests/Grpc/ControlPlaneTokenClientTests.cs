using Gateway.Proxy.ControlPlane;
using Grpc.Core;
using Gateway.Proxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Proxy.Tests.Grpc;

/// <summary>The client-credentials token: reused, renewed before expiry, renewed after a refusal, errors named.</summary>
public sealed class ControlPlaneTokenClientTests
{
    private const string Secret = "the-proxy-client-secret-do-not-log";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>A token endpoint on port 0 issuing tok-1, tok-2, … with the given lifetime.</summary>
    private static Task<FakeUpstream> TokenEndpointAsync(int? expiresIn = 100)
    {
        var issued = 0;
        return FakeUpstream.StartAsync(async (context, _) =>
        {
            var n = Interlocked.Increment(ref issued);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(expiresIn is { } e
                ? $$"""{"access_token":"tok-{{n}}","token_type":"Bearer","expires_in":{{e}}}"""
                : $$"""{"access_token":"tok-{{n}}","token_type":"Bearer"}""");
        });
    }

    private ControlPlaneTokenClient Client(FakeUpstream endpoint)
    {
        var http = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        var options = new ControlPlaneOptions { GrpcUrl = "http://127.0.0.1:1", TokenUrl = endpoint.Url + "/connect/token", ClientSecret = Secret };
        return new ControlPlaneTokenClient(http, Options.Create(options), _time, NullLogger<ControlPlaneTokenClient>.Instance);
    }

    [Fact]
    public async Task Token_IsReused_UntilEightyPercentOfItsLifetime_ThenRenewed()
    {
        await using var endpoint = await TokenEndpointAsync(expiresIn: 100);
        var client = Client(endpoint);

        Assert.Equal("tok-1", await client.GetAsync(Ct));
        _time.Advance(TimeSpan.FromSeconds(79));
        Assert.Equal("tok-1", await client.GetAsync(Ct));
        Assert.Equal(1, client.Requested);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("tok-2", await client.GetAsync(Ct));
        Assert.Equal(2, client.Requested);
    }

    [Fact]
    public async Task Request_IsClientCredentials_ForTheProxyScope()
    {
        await using var endpoint = await TokenEndpointAsync();

        await Client(endpoint).GetAsync(Ct);

        var request = Assert.Single(endpoint.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/connect/token", request.PathAndQuery);
        var form = System.Web.HttpUtility.ParseQueryString(request.BodyText);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal("gateway-proxy", form["client_id"]);
        Assert.Equal(Secret, form["client_secret"]);
        Assert.Equal("gateway.proxy", form["scope"]);
    }

    [Fact]
    public async Task Invalidate_ForcesANewToken_ButKeepsANewerOne()
    {
        await using var endpoint = await TokenEndpointAsync();
        var client = Client(endpoint);
        var first = await client.GetAsync(Ct);

        client.Invalidate(first);
        var second = await client.GetAsync(Ct);
        client.Invalidate(first);

        Assert.Equal("tok-2", second);
        Assert.Equal("tok-2", await client.GetAsync(Ct));
        Assert.Equal(2, client.Requested);
    }

    [Fact]
    public async Task UnauthenticatedAnswer_RenewsTheToken_OtherFailuresDoNot()
    {
        await using var endpoint = await TokenEndpointAsync();
        var tokens = Client(endpoint);
        var options = Options.Create(new ControlPlaneOptions { GrpcUrl = "http://127.0.0.1:1", Authority = endpoint.Url, ClientSecret = Secret });
        using var channel = new ControlPlaneChannel(options, tokens, []);
        var first = await channel.TokenAsync(Ct);

        channel.Refused(new RpcException(new Status(StatusCode.Unavailable, "down")), first);
        channel.Refused(new RpcException(new Status(StatusCode.PermissionDenied, "no scope")), first);
        Assert.Equal(first, await channel.TokenAsync(Ct));

        channel.Refused(new RpcException(new Status(StatusCode.Unauthenticated, "expired")), first);
        Assert.Equal("tok-2", await channel.TokenAsync(Ct));
        Assert.Equal("Bearer tok-2", ControlPlaneChannel.Options("tok-2", Ct).Headers!.GetValue("authorization"));
    }

    [Fact]
    public async Task ConcurrentCallers_ShareOneRequest()
    {
        await using var endpoint = await TokenEndpointAsync();
        var client = Client(endpoint);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => client.GetAsync(Ct).AsTask()));

        Assert.All(tokens, t => Assert.Equal("tok-1", t));
        Assert.Equal(1, client.Requested);
    }

    [Fact]
    public async Task WithoutExpiresIn_TheTokenIsRenewedAfterFourMinutes()
    {
        await using var endpoint = await TokenEndpointAsync(expiresIn: null);
        var client = Client(endpoint);
        await client.GetAsync(Ct);

        _time.Advance(TimeSpan.FromSeconds(239));
        Assert.Equal("tok-1", await client.GetAsync(Ct));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("tok-2", await client.GetAsync(Ct));
    }

    [Fact]
    public async Task RefusedCredentials_ThrowWithTheOAuthError_AndNeverTheSecret()
    {
        await using var endpoint = await FakeUpstream.JsonAsync("""{"error":"invalid_client","error_description":"The client credentials are invalid."}""", 401);

        var ex = await Assert.ThrowsAsync<ControlPlaneAuthenticationException>(() => Client(endpoint).GetAsync(Ct).AsTask());

        Assert.Contains("401 invalid_client: The client credentials are invalid.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'gateway-proxy'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200, "not json")]
    [InlineData(200, """{"token_type":"Bearer"}""")]
    [InlineData(200, """[1,2]""")]
    [InlineData(502, "<html>bad gateway</html>")]
    public async Task NonsenseAnswers_ThrowAClearError(int status, string body)
    {
        await using var endpoint = await FakeUpstream.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(body);
        });

        var ex = await Assert.ThrowsAsync<ControlPlaneAuthenticationException>(() => Client(endpoint).GetAsync(Ct).AsTask());

        Assert.Contains(endpoint.Url, ex.Message, StringComparison.Ordinal);
    }
}
