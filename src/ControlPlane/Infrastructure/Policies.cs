using Gateway.Contracts.Identity;
using Gateway.ControlPlane.Features.Identity;
using OpenIddict.Abstractions;

namespace Gateway.ControlPlane.Infrastructure;

/// <summary>
/// Authorization policies. Every API policy authenticates an OpenIddict access token with scope
/// <c>gateway.api</c> and then asks for roles; the gRPC services ask for scope <c>gateway.proxy</c>.
/// </summary>
internal static class Policies
{
    /// <summary>Any caller with an API token, whatever their roles.</summary>
    public const string Authenticated = "api:authenticated";
    /// <summary>Any of the four roles.</summary>
    public const string AnyRole = "api:any-role";
    public const string Developer = "api:developer";
    public const string Approver = "api:approver";
    public const string Finance = "api:finance";
    public const string Admin = "api:admin";
    public const string DeveloperOrAdmin = "api:developer-or-admin";
    public const string FinanceOrAdmin = "api:finance-or-admin";
    public const string Requests = "api:requests";
    public const string UsageReaders = "api:usage";
    public const string Proxy = "grpc:proxy";

    /// <summary>Roles that see every team's data (a Developer sees their own teams').</summary>
    public static readonly string[] SeeAllTeams = [GatewayRoles.Approver, GatewayRoles.FinanceAnalyst, GatewayRoles.PlatformAdmin];

    public static IServiceCollection AddGatewayPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Authenticated, p => Api(p))
            .AddPolicy(AnyRole, p => Api(p).RequireRole(GatewayRoles.All))
            .AddPolicy(Developer, p => Api(p).RequireRole(GatewayRoles.Developer))
            .AddPolicy(Approver, p => Api(p).RequireRole(GatewayRoles.Approver))
            .AddPolicy(Finance, p => Api(p).RequireRole(GatewayRoles.FinanceAnalyst))
            .AddPolicy(Admin, p => Api(p).RequireRole(GatewayRoles.PlatformAdmin))
            .AddPolicy(DeveloperOrAdmin, p => Api(p).RequireRole(GatewayRoles.Developer, GatewayRoles.PlatformAdmin))
            .AddPolicy(FinanceOrAdmin, p => Api(p).RequireRole(GatewayRoles.FinanceAnalyst, GatewayRoles.PlatformAdmin))
            .AddPolicy(Requests, p => Api(p).RequireRole(GatewayRoles.Developer, GatewayRoles.Approver, GatewayRoles.PlatformAdmin))
            .AddPolicy(UsageReaders, p => Api(p).RequireRole(GatewayRoles.Developer, GatewayRoles.FinanceAnalyst, GatewayRoles.PlatformAdmin))
            .AddPolicy(Proxy, p => p.AddAuthenticationSchemes(IdentityExtensions.BearerScheme).RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.HasScope(GatewayScopes.Proxy)));
        return services;
    }

    private static Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder Api(Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder p) =>
        p.AddAuthenticationSchemes(IdentityExtensions.BearerScheme).RequireAuthenticatedUser()
            .RequireAssertion(c => c.User.HasScope(GatewayScopes.Api));
}
