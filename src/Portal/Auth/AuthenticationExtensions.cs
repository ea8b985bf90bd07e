using Gateway.Portal.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace Gateway.Portal.Auth;

/// <summary>
/// Sign-in through the control plane's OpenIddict server: authorization code + PKCE, a cookie
/// session that carries only a session id, the tokens in the server-side <see cref="TokenStore"/>.
/// </summary>
internal static class AuthenticationExtensions
{
    public const string CookieName = "gateway.portal";

    public static WebApplicationBuilder AddPortalAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<TokenStore>();
        services.AddSingleton<AccessTokenProvider>();
        services.AddHttpClient(AccessTokenProvider.HttpClientName);
        services.AddScoped<CurrentUser>();
        services.AddScoped<IAccessTokenSource, UserAccessTokenSource>();
        services.AddScoped<AuthenticationStateProvider, PortalAuthenticationStateProvider>();
        services.AddCascadingAuthenticationState();
        services.AddAuthorizationBuilder().AddPortalPolicies();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<PortalOptions>>((o, portal) => ConfigureCookie(o, portal.Value));
        services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IOptions<PortalOptions>>((o, portal) => OidcSetup.Configure(o, portal.Value));
        return builder;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions o, PortalOptions portal)
    {
        o.Cookie.Name = CookieName;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = portal.SessionIdleTimeout;
        o.SlidingExpiration = true;
        o.AccessDeniedPath = "/access-denied";
        o.Events.OnValidatePrincipal = async context =>
        {
            // The tokens live on this server: a cookie whose session is gone (signed out, idle,
            // Portal restarted) is no session at all. The next request signs in again.
            var sessionId = context.Principal?.FindFirst(PortalClaims.SessionId)?.Value;
            var store = context.HttpContext.RequestServices.GetRequiredService<TokenStore>();
            if (sessionId is null || !store.Contains(sessionId))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            }
        };
    }

    /// <summary><c>/account/signin</c> (challenge, back to a local URL) and <c>/account/signout</c> (here and at the control plane).</summary>
    public static WebApplication MapAccountEndpoints(this WebApplication app)
    {
        var account = app.MapGroup("/account").AllowAnonymous();
        account.MapGet("/signin", (string? returnUrl) => Results.Challenge(
            new() { RedirectUri = LocalUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]));
        // POST only; the Lax cookie is not sent on a cross-site POST, so another site cannot sign a user out.
        account.MapPost("/signout", (HttpContext context, TokenStore store) =>
        {
            var sessionId = context.User.FindFirst(PortalClaims.SessionId)?.Value;
            if (sessionId is null || store.Find(sessionId) is not { } session)
            {
                return Results.SignOut(new() { RedirectUri = "/signed-out" }, [CookieAuthenticationDefaults.AuthenticationScheme]);
            }
            store.Remove(sessionId);
            var properties = new AuthenticationProperties { RedirectUri = "/signed-out" };
            properties.Parameters[OidcSetup.IdTokenHintParameter] = session.Tokens.IdToken;
            return Results.SignOut(properties, [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
        });
        return app;
    }

    /// <summary>A return URL that stays on this site (a path), else the home page.</summary>
    internal static string LocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";
}
