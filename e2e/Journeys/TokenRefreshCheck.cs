using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.E2E.Tests.Infrastructure;
using Gateway.Portal;
using Gateway.Portal.Auth;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gateway.E2E.Tests.Journeys;

/// <summary>
/// The Portal's token refresh against the real control plane (OpenIddict): the refresh request is
/// accepted, the new access token works on the API, and the rotated refresh token is kept (a second
/// refresh succeeds, which it would not with an already redeemed token).
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class TokenRefreshCheck(GatewaySystem system)
{
    [Fact]
    public async Task PortalRefresh_IsAcceptedByTheControlPlane_Twice()
    {
        Requirements.Check(system.Unavailable);
        var ct = TestContext.Current.CancellationToken;
        var signedIn = await OidcFlow.SignInAsync(system.ControlPlaneUrl, new Uri(system.PortalUrl, "/signin-oidc"), "dev@demo.bank", ct);
        Assert.NotNull(signedIn.RefreshToken);

        var options = Options.Create(new PortalOptions { ControlPlaneUrl = system.ControlPlaneUrl.ToString(), ProxyUrl = system.ProxyUrl.ToString() });
        var services = new ServiceCollection();
        services.AddHttpClient(AccessTokenProvider.HttpClientName);
        services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o => o.ConfigurationManager =
            new ConfigurationManager<OpenIdConnectConfiguration>(new Uri(system.ControlPlaneUrl, "/.well-known/openid-configuration").ToString(),
                new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = false }));
        await using var provider = services.BuildServiceProvider();
        var store = new TokenStore(options, TimeProvider.System);
        var tokens = new AccessTokenProvider(store, provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>(), options, TimeProvider.System, NullLogger<AccessTokenProvider>.Instance);

        // Expiring within the refresh margin: the provider refreshes before handing it out.
        var session = store.Add(new UserTokens(signedIn.AccessToken, signedIn.RefreshToken, DateTimeOffset.UtcNow.AddSeconds(30), signedIn.IdToken));
        var first = await tokens.GetAccessTokenAsync(session, ct);
        Assert.NotEqual(signedIn.AccessToken, first);
        Assert.Equal("dev@demo.bank", await EmailAsync(first, ct));

        store.Find(session)!.Tokens = store.Find(session)!.Tokens with { ExpiresAt = DateTimeOffset.UtcNow };
        var second = await tokens.GetAccessTokenAsync(session, ct);
        Assert.NotEqual(first, second);
        Assert.Equal("dev@demo.bank", await EmailAsync(second, ct));
    }

    private async Task<string?> EmailAsync(string accessToken, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = system.ControlPlaneUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var me = JsonDocument.Parse(await http.GetStringAsync("/api/me", ct)).RootElement;
        return me.GetProperty("email").GetString();
    }
}
