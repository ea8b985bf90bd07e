using Microsoft.AspNetCore.Identity;

namespace Gateway.ControlPlane.Features.Identity;

/// <summary>A person who signs in (local account or linked to the bank's identity provider).</summary>
internal sealed class GatewayUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
