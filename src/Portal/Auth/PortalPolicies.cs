using Gateway.Contracts.Identity;
using Microsoft.AspNetCore.Authorization;

namespace Gateway.Portal.Auth;

/// <summary>
/// What each part of the Portal needs, from the roles in the user's token. These only decide
/// what to show: the control plane checks every call again (and has the last word on teams).
/// </summary>
internal static class PortalPolicies
{
    public const string Developer = "developer";
    public const string Approver = "approver";
    public const string Finance = "finance";
    public const string Admin = "admin";

    /// <summary>Key lists: developers (their teams) and platform admins (revoke any).</summary>
    public const string KeyViewers = "key-viewers";

    /// <summary>Team usage: developers (their teams) and platform admins.</summary>
    public const string UsageViewers = "usage-viewers";

    public static AuthorizationBuilder AddPortalPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Developer, p => p.RequireRole(GatewayRoles.Developer))
        .AddPolicy(Approver, p => p.RequireRole(GatewayRoles.Approver))
        .AddPolicy(Finance, p => p.RequireRole(GatewayRoles.FinanceAnalyst, GatewayRoles.PlatformAdmin))
        .AddPolicy(Admin, p => p.RequireRole(GatewayRoles.PlatformAdmin))
        .AddPolicy(KeyViewers, p => p.RequireRole(GatewayRoles.Developer, GatewayRoles.PlatformAdmin))
        .AddPolicy(UsageViewers, p => p.RequireRole(GatewayRoles.Developer, GatewayRoles.PlatformAdmin));
}
