using System.Security.Claims;
using Gateway.Contracts.Identity;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gateway.Portal.Auth;

/// <summary>The OpenID Connect handler's settings and events (code + PKCE, tokens to the <see cref="TokenStore"/>).</summary>
internal static partial class OidcSetup
{
    /// <summary>Carries the id token from the sign-out endpoint to the end-session redirect (never serialized).</summary>
    public const string IdTokenHintParameter = "portal_id_token_hint";

    public static readonly string[] Scopes = ["openid", "profile", "email", "roles", "offline_access", GatewayScopes.Api];

    public static void Configure(OpenIdConnectOptions o, PortalOptions portal)
    {
        o.Authority = portal.ControlPlaneUrl.TrimEnd('/') + "/";
        o.ClientId = portal.ClientId;
        o.RequireHttpsMetadata = portal.RequireHttpsMetadata;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.Scope.Clear();
        foreach (var scope in Scopes) o.Scope.Add(scope);
        // Tokens go to the server-side store, not into the cookie.
        o.SaveTokens = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        o.MapInboundClaims = false;
        o.TokenValidationParameters.NameClaimType = PortalClaims.Name;
        o.TokenValidationParameters.RoleClaimType = PortalClaims.Role;
        o.CallbackPath = "/signin-oidc";
        o.SignedOutCallbackPath = "/signout-callback-oidc";
        o.DisableTelemetry = true;
        // Plain HTTP on the default run: the correlation and nonce cookies must not demand HTTPS.
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Events.OnTokenValidated = TokenValidated;
        o.Events.OnRedirectToIdentityProviderForSignOut = context =>
        {
            if (context.Properties.GetParameter<string>(IdTokenHintParameter) is { } idToken) context.ProtocolMessage.IdTokenHint = idToken;
            context.ProtocolMessage.ClientId = portal.ClientId;
            return Task.CompletedTask;
        };
        o.Events.OnRemoteFailure = context =>
        {
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSetup));
            LogSignInFailed(logger, context.Failure?.Message ?? "unknown");
            context.Response.Redirect("/sign-in-failed");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    /// <summary>After the code is redeemed: keep the tokens server-side and put their session id in the cookie principal.</summary>
    private static Task TokenValidated(TokenValidatedContext context)
    {
        var response = context.TokenEndpointResponse;
        if (response?.AccessToken is not { Length: > 0 } accessToken)
        {
            context.Fail("The control plane returned no access token.");
            return Task.CompletedTask;
        }
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var expiresIn = int.TryParse(response.ExpiresIn, out var seconds) && seconds > 0 ? seconds : 3600;
        var sessionId = services.GetRequiredService<TokenStore>().Add(
            new UserTokens(accessToken, response.RefreshToken, now.AddSeconds(expiresIn), response.IdToken));
        if (context.Principal?.Identity is ClaimsIdentity identity)
        {
            identity.AddClaim(new Claim(PortalClaims.SessionId, sessionId));
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Sign-in through the control plane failed: {Reason}")]
    private static partial void LogSignInFailed(ILogger logger, string reason);
}
