using System.Security.Claims;
using System.Text.Json;
using Gateway.Contracts.Identity;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gateway.ControlPlane.Features.Identity;

/// <summary>Builds the identities OpenIddict turns into tokens: roles travel in the access token.</summary>
internal static class GatewayPrincipal
{
    public static async Task<ClaimsPrincipal> ForUserAsync(UserManager<GatewayUser> users, GatewayUser user, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.Name, string.IsNullOrEmpty(user.DisplayName) ? user.Email : user.DisplayName)
            .SetClaim(Claims.PreferredUsername, user.UserName);
        identity.SetClaims(Claims.Role, [.. await users.GetRolesAsync(user)]);
        identity.SetScopes(scopes);
        identity.SetDestinations(DestinationsOf);
        return new ClaimsPrincipal(identity);
    }

    public static ClaimsPrincipal ForClient(string clientId, string displayName, IEnumerable<string> scopes, IEnumerable<string> roles)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, clientId).SetClaim(Claims.Name, displayName);
        identity.SetClaims(Claims.Role, [.. roles.Where(r => GatewayRoles.All.Contains(r))]);
        identity.SetScopes(scopes);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The roles an automation client acts with (stored as an application property).</summary>
    public static async Task<IReadOnlyList<string>> ClientRolesAsync(IOpenIddictApplicationManager applications, object application, CancellationToken cancellationToken)
    {
        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        if (!properties.TryGetValue(ClientRegistration.RolesProperty, out var value) || value.ValueKind != JsonValueKind.Array) return [];
        return [.. value.EnumerateArray().Select(e => e.GetString() ?? "")];
    }

    private static IEnumerable<string> DestinationsOf(Claim claim) => claim.Type switch
    {
        Claims.Name or Claims.Email or Claims.PreferredUsername when claim.Subject!.HasScope(Scopes.Profile) || claim.Subject!.HasScope(Scopes.Email)
            => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        Claims.Role when claim.Subject!.HasScope(Scopes.Roles)
            => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        Claims.Subject => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        "AspNet.Identity.SecurityStamp" => [],
        _ => [OpenIddictConstants.Destinations.AccessToken],
    };
}
