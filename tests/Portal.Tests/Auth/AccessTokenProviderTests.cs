using System.Net;
using System.Text;
using Gateway.Portal.Api;
using Gateway.Portal.Auth;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gateway.Portal.Tests.Auth;

/// <summary>
/// The server-side token store and refresh: circuits have no HttpContext, so the tokens a user got
/// at sign-in live on the server and are refreshed there, once per session, before they expire.
/// </summary>
public sealed class AccessTokenProviderTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeTokenEndpoint _endpoint = new();
    private readonly TokenStore _store;
    private readonly AccessTokenProvider _provider;

    public AccessTokenProviderTests()
    {
        var options = Options.Create(new PortalOptions { ControlPlaneUrl = "http://cp.test", ProxyUrl = "http://proxy.test" });
        var services = new ServiceCollection();
        services.AddHttpClient(AccessTokenProvider.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _endpoint);
        services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o =>
            o.Configuration = new OpenIdConnectConfiguration { TokenEndpoint = "http://cp.test/connect/token" });
        var provider = services.BuildServiceProvider();
        _store = new TokenStore(options, _clock);
        _provider = new AccessTokenProvider(_store, provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>(), options, _clock, NullLogger<AccessTokenProvider>.Instance);
    }

    private CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task FreshToken_IsHandedOut_WithoutCallingTheTokenEndpoint()
    {
        var session = _store.Add(new UserTokens("access-1", "refresh-1", _clock.GetUtcNow().AddMinutes(60), "id-1"));
        Assert.Equal("access-1", await _provider.GetAccessTokenAsync(session, Ct));
        Assert.Equal(0, _endpoint.Calls);
    }

    [Fact]
    public async Task TokenAboutToExpire_IsRefreshed_AndTheRotatedRefreshTokenKept()
    {
        var session = _store.Add(new UserTokens("access-1", "refresh-1", _clock.GetUtcNow().AddMinutes(60), "id-1"));
        _clock.Advance(TimeSpan.FromMinutes(59));
        _endpoint.Answer(HttpStatusCode.OK, """{"access_token":"access-2","refresh_token":"refresh-2","expires_in":3600,"token_type":"Bearer"}""");

        Assert.Equal("access-2", await _provider.GetAccessTokenAsync(session, Ct));
        Assert.Equal("grant_type=refresh_token&refresh_token=refresh-1&client_id=gateway-portal", _endpoint.LastForm);
        Assert.Equal("http://cp.test/connect/token", _endpoint.LastUri);

        _clock.Advance(TimeSpan.FromMinutes(59));
        _endpoint.Answer(HttpStatusCode.OK, """{"access_token":"access-3","refresh_token":"refresh-3","expires_in":3600}""");
        Assert.Equal("access-3", await _provider.GetAccessTokenAsync(session, Ct));
        Assert.Contains("refresh_token=refresh-2", _endpoint.LastForm);
        Assert.Equal("id-1", _store.Find(session)!.Tokens.IdToken);
    }

    [Fact]
    public async Task ConcurrentCallers_RefreshOnce()
    {
        var session = _store.Add(new UserTokens("access-1", "refresh-1", _clock.GetUtcNow().AddSeconds(30), null));
        var gate = _endpoint.AnswerWhenReleased(HttpStatusCode.OK, """{"access_token":"access-2","refresh_token":"refresh-2","expires_in":3600}""");
        var calls = Enumerable.Range(0, 8).Select(_ => _provider.GetAccessTokenAsync(session, Ct)).ToList();
        gate.SetResult();
        var tokens = await Task.WhenAll(calls);
        Assert.All(tokens, t => Assert.Equal("access-2", t));
        Assert.Equal(1, _endpoint.Calls);
    }

    [Fact]
    public async Task RefusedRefresh_EndsTheSession()
    {
        var session = _store.Add(new UserTokens("access-1", "refresh-1", _clock.GetUtcNow().AddSeconds(30), null));
        _endpoint.Answer(HttpStatusCode.BadRequest, """{"error":"invalid_grant","error_description":"The refresh token is no longer valid."}""");
        await Assert.ThrowsAsync<SessionExpiredException>(() => _provider.GetAccessTokenAsync(session, Ct));
        Assert.False(_store.Contains(session));
        await Assert.ThrowsAsync<SessionExpiredException>(() => _provider.GetAccessTokenAsync(session, Ct));
        Assert.Equal(1, _endpoint.Calls);
    }

    [Fact]
    public async Task UnreachableControlPlane_KeepsUsingATokenThatHasNotExpired_ThenReportsUnreachable()
    {
        var session = _store.Add(new UserTokens("access-1", "refresh-1", _clock.GetUtcNow().AddSeconds(30), null));
        _endpoint.Fail();
        Assert.Equal("access-1", await _provider.GetAccessTokenAsync(session, Ct));

        _clock.Advance(TimeSpan.FromSeconds(31));
        var error = await Assert.ThrowsAsync<ApiException>(() => _provider.GetAccessTokenAsync(session, Ct));
        Assert.Equal(0, error.Status);
        Assert.True(_store.Contains(session), "an outage does not sign the user out");
    }

    [Fact]
    public async Task NoRefreshToken_ExpiredSession_MustSignInAgain()
    {
        var session = _store.Add(new UserTokens("access-1", null, _clock.GetUtcNow().AddSeconds(30), null));
        await Assert.ThrowsAsync<SessionExpiredException>(() => _provider.GetAccessTokenAsync(session, Ct));
    }

    [Fact]
    public async Task UnknownSession_MustSignInAgain() =>
        await Assert.ThrowsAsync<SessionExpiredException>(() => _provider.GetAccessTokenAsync("no-such-session", Ct));

    [Fact]
    public void IdleSession_IsDropped_ButUseKeepsItAlive()
    {
        var used = _store.Add(new UserTokens("a", "r", _clock.GetUtcNow().AddHours(1), null));
        var idle = _store.Add(new UserTokens("b", "r", _clock.GetUtcNow().AddHours(1), null));
        _clock.Advance(TimeSpan.FromHours(5));
        Assert.NotNull(_store.Find(used));
        _clock.Advance(TimeSpan.FromHours(4));
        Assert.NotNull(_store.Find(used));
        Assert.False(_store.Contains(idle));
        Assert.Null(_store.Find(idle));
        _store.Add(new UserTokens("c", "r", _clock.GetUtcNow().AddHours(1), null));
        Assert.Equal(2, _store.Count);
    }

    private sealed class FakeTokenEndpoint : HttpMessageHandler
    {
        private Func<Task<HttpResponseMessage>> _answer = () => throw new InvalidOperationException("No answer set.");
        private int _calls;

        public int Calls => _calls;

        public string? LastForm { get; private set; }

        public string? LastUri { get; private set; }

        public void Answer(HttpStatusCode status, string json) => _answer = () => Task.FromResult(Response(status, json));

        public TaskCompletionSource AnswerWhenReleased(HttpStatusCode status, string json)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _answer = async () =>
            {
                await gate.Task;
                return Response(status, json);
            };
            return gate;
        }

        public void Fail() => _answer = () => throw new HttpRequestException("Connection refused");

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            LastUri = request.RequestUri!.ToString();
            LastForm = await request.Content!.ReadAsStringAsync(cancellationToken);
            return await _answer();
        }

        private static HttpResponseMessage Response(HttpStatusCode status, string json) =>
            new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }
}
