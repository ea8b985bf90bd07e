using System.Security.Claims;
using OpenIddict.Abstractions;

namespace Gateway.ControlPlane.Data;

/// <summary>Who makes a change: a user (subject and name from the access token) or the system.</summary>
internal sealed record Actor(string Id, string Name)
{
    public static readonly Actor System = new("system", "system");

    public static Actor From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.GetClaim(OpenIddictConstants.Claims.Subject) ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        var name = user.GetClaim(OpenIddictConstants.Claims.Email) ?? user.GetClaim(OpenIddictConstants.Claims.Name) ?? id;
        return new Actor(id, name);
    }
}
