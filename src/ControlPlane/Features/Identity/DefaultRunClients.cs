using Gateway.Contracts.Identity;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gateway.ControlPlane.Features.Identity;

/// <summary>
/// On the default run, adds the clients the local system needs when configuration did not name
/// them: <c>gateway-portal</c> (public, code + PKCE), <c>gateway-proxy</c> (client credentials,
/// secret from <c>ControlPlane:DefaultRun:ProxyClientSecret</c>) and <c>gateway-automation</c>
/// (client credentials acting as PlatformAdmin, only when <c>ControlPlane:DefaultRun:AutomationClientSecret</c> is set).
/// </summary>
internal sealed class DefaultRunClients(IConfiguration configuration) : IPostConfigureOptions<GatewayIdentityOptions>
{
    public const string AutomationClientId = "gateway-automation";

    public void PostConfigure(string? name, GatewayIdentityOptions options)
    {
        var cp = configuration.GetSection(ControlPlaneOptions.Section).Get<ControlPlaneOptions>() ?? new();
        if (!cp.DefaultRun.Enabled) return;

        if (!options.Clients.Exists(c => c.ClientId == GatewayScopes.PortalClientId))
        {
            var portal = configuration["ControlPlane:DefaultRun:PortalUrl"] ?? "http://localhost:5082";
            options.Clients.Add(new ClientOptions
            {
                ClientId = GatewayScopes.PortalClientId,
                DisplayName = "Gateway portal",
                GrantTypes = [GrantTypes.AuthorizationCode],
                RedirectUris = [$"{portal.TrimEnd('/')}/signin-oidc"],
                PostLogoutRedirectUris = [$"{portal.TrimEnd('/')}/signout-callback-oidc"],
                Scopes = [GatewayScopes.Api],
            });
        }

        if (!options.Clients.Exists(c => c.ClientId == GatewayScopes.ProxyClientId) && !string.IsNullOrWhiteSpace(cp.DefaultRun.ProxyClientSecret))
        {
            options.Clients.Add(new ClientOptions
            {
                ClientId = GatewayScopes.ProxyClientId,
                ClientSecret = cp.DefaultRun.ProxyClientSecret,
                DisplayName = "Gateway proxies",
                GrantTypes = [GrantTypes.ClientCredentials],
                Scopes = [GatewayScopes.Proxy],
            });
        }

        var automationSecret = configuration["ControlPlane:DefaultRun:AutomationClientSecret"];
        if (!options.Clients.Exists(c => c.ClientId == AutomationClientId) && !string.IsNullOrWhiteSpace(automationSecret))
        {
            options.Clients.Add(new ClientOptions
            {
                ClientId = AutomationClientId,
                ClientSecret = automationSecret,
                DisplayName = "Automation",
                GrantTypes = [GrantTypes.ClientCredentials],
                Scopes = [GatewayScopes.Api],
                Roles = [GatewayRoles.PlatformAdmin],
            });
        }
    }
}
