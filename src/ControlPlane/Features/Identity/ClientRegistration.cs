using System.Text.Json;
using Gateway.Contracts.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gateway.ControlPlane.Features.Identity;

/// <summary>Creates or updates the configured OAuth clients at start (secrets are stored hashed by OpenIddict).</summary>
internal sealed partial class ClientRegistration(
    IOpenIddictApplicationManager manager, IOptions<GatewayIdentityOptions> options, ILogger<ClientRegistration> logger)
{
    /// <summary>Custom application property holding the roles a client-credentials client acts with.</summary>
    public const string RolesProperty = "gateway_roles";

    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        foreach (var client in options.Value.Clients)
        {
            Validate(client);
            var descriptor = Describe(client);
            var existing = await manager.FindByClientIdAsync(client.ClientId, cancellationToken);
            if (existing is null)
            {
                await manager.CreateAsync(descriptor, cancellationToken);
                LogCreated(logger, client.ClientId);
            }
            else
            {
                await manager.PopulateAsync(existing, descriptor, cancellationToken);
                await manager.UpdateAsync(existing, client.ClientSecret ?? "", cancellationToken);
            }
        }
    }

    private static void Validate(ClientOptions client)
    {
        if (string.IsNullOrWhiteSpace(client.ClientId)) throw new InvalidOperationException("ControlPlane:Identity:Clients: every client needs a ClientId.");
        foreach (var role in client.Roles)
        {
            if (!GatewayRoles.All.Contains(role)) throw new InvalidOperationException($"ControlPlane:Identity:Clients '{client.ClientId}': unknown role '{role}'.");
        }
        if (client.GrantTypes.Contains(GrantTypes.ClientCredentials) && string.IsNullOrWhiteSpace(client.ClientSecret))
            throw new InvalidOperationException($"ControlPlane:Identity:Clients '{client.ClientId}': client credentials need a ClientSecret.");
    }

    private static OpenIddictApplicationDescriptor Describe(ClientOptions client)
    {
        var d = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = string.IsNullOrWhiteSpace(client.ClientSecret) ? null : client.ClientSecret,
            ClientType = string.IsNullOrWhiteSpace(client.ClientSecret) ? ClientTypes.Public : ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = client.DisplayName ?? client.ClientId,
        };
        d.Permissions.Add(Permissions.Endpoints.Token);
        if (client.GrantTypes.Contains(GrantTypes.AuthorizationCode))
        {
            d.Permissions.Add(Permissions.Endpoints.Authorization);
            d.Permissions.Add(Permissions.Endpoints.EndSession);
            d.Permissions.Add(Permissions.GrantTypes.AuthorizationCode);
            d.Permissions.Add(Permissions.GrantTypes.RefreshToken);
            d.Permissions.Add(Permissions.ResponseTypes.Code);
            d.Permissions.Add(Permissions.Scopes.Email);
            d.Permissions.Add(Permissions.Scopes.Profile);
            d.Permissions.Add(Permissions.Scopes.Roles);
            d.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }
        if (client.GrantTypes.Contains(GrantTypes.ClientCredentials)) d.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
        foreach (var scope in client.Scopes) d.Permissions.Add(Permissions.Prefixes.Scope + scope);
        foreach (var uri in client.RedirectUris) d.RedirectUris.Add(new Uri(uri, UriKind.Absolute));
        foreach (var uri in client.PostLogoutRedirectUris) d.PostLogoutRedirectUris.Add(new Uri(uri, UriKind.Absolute));
        if (client.Roles.Count > 0) d.Properties[RolesProperty] = JsonSerializer.SerializeToElement(client.Roles);
        return d;
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Registered OAuth client {ClientId}")]
    private static partial void LogCreated(ILogger logger, string clientId);
}
