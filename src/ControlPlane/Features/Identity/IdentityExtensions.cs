using Gateway.Contracts.Identity;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gateway.ControlPlane.Features.Identity;

internal static class IdentityExtensions
{
    /// <summary>The authentication scheme of the external (bank) OpenID Connect provider.</summary>
    public const string ExternalScheme = "external";

    /// <summary>ASP.NET Core Identity (local accounts), OpenIddict server and validation, external OIDC.</summary>
    public static WebApplicationBuilder AddGatewayIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayIdentityOptions>().BindConfiguration(GatewayIdentityOptions.Section);
        var options = builder.Configuration.GetSection(GatewayIdentityOptions.Section).Get<GatewayIdentityOptions>() ?? new();
        var cp = builder.Configuration.GetSection(ControlPlaneOptions.Section).Get<ControlPlaneOptions>() ?? new();

        builder.Services.AddIdentity<GatewayUser, IdentityRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.ClaimsIdentity.UserNameClaimType = Claims.Name;
                o.ClaimsIdentity.UserIdClaimType = Claims.Subject;
                o.ClaimsIdentity.RoleClaimType = Claims.Role;
                o.ClaimsIdentity.EmailClaimType = Claims.Email;
            })
            .AddEntityFrameworkStores<GatewayDbContext>()
            .AddDefaultTokenProviders();

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.Cookie.Name = "gateway.cp.auth";
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });

        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<GatewayDbContext>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/logout")
                    .SetUserInfoEndpointUris("connect/userinfo");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowClientCredentialsFlow()
                    .AllowRefreshTokenFlow();
                o.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess, GatewayScopes.Api, GatewayScopes.Proxy);
                o.SetAccessTokenLifetime(TimeSpan.FromMinutes(options.AccessTokenMinutes));
                o.SetRefreshTokenLifetime(TimeSpan.FromDays(options.RefreshTokenDays));
                if (!string.IsNullOrWhiteSpace(options.Issuer)) o.SetIssuer(new Uri(options.Issuer));

                o.AddSigningKey(KeyFiles.LoadOrCreateRsa(options.SigningKeyFile, cp.DataPath("oidc-signing.pem"), cp.DefaultRun.Enabled, "ControlPlane:Identity:SigningKeyFile"));
                o.AddEncryptionKey(KeyFiles.LoadOrCreateRsa(options.EncryptionKeyFile, cp.DataPath("oidc-encryption.pem"), cp.DefaultRun.Enabled, "ControlPlane:Identity:EncryptionKeyFile"));

                var aspNetCore = o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough();
                if (!options.RequireHttps) aspNetCore.DisableTransportSecurityRequirement();
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.UseAspNetCore();
            });

        var authentication = builder.Services.AddAuthentication();
        if (!string.IsNullOrWhiteSpace(options.External.Authority))
        {
            authentication.AddOpenIdConnect(ExternalScheme, options.External.DisplayName, o =>
            {
                o.SignInScheme = IdentityConstants.ExternalScheme;
                o.Authority = options.External.Authority;
                o.ClientId = options.External.ClientId;
                o.ClientSecret = options.External.ClientSecret;
                o.RequireHttpsMetadata = options.External.RequireHttpsMetadata;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.CallbackPath = "/signin-external";
                o.SignedOutCallbackPath = "/signout-callback-external";
                o.MapInboundClaims = false;
                o.Scope.Add(Scopes.Email);
                o.Scope.Add(Scopes.Profile);
                o.GetClaimsFromUserInfoEndpoint = true;
            });
        }

        builder.Services.AddAntiforgery(o => o.Cookie.Name = "gateway.cp.af");
        builder.Services.AddScoped<ClientRegistration>();
        builder.Services.AddSingleton<IPostConfigureOptions<OpenIddict.Server.OpenIddictServerOptions>, IssuerFromServer>();
        builder.Services.AddSingleton<IPostConfigureOptions<GatewayIdentityOptions>, DefaultRunClients>();
        return builder;
    }

    public static WebApplication MapGatewayIdentity(this WebApplication app)
    {
        app.MapConnectEndpoints();
        app.MapAccountEndpoints();
        return app;
    }

    /// <summary>The scheme that authenticates API and gRPC callers (OpenIddict access tokens).</summary>
    public const string BearerScheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
}
