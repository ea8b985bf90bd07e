using System.Security.Claims;
using Gateway.ControlPlane.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gateway.ControlPlane.Infrastructure;

/// <summary>What the caller of an API request is and may see.</summary>
internal static class Caller
{
    public static string UserId(this ClaimsPrincipal user) => user.GetClaim(Claims.Subject) ?? "";

    /// <summary>Approvers, finance analysts and platform admins see every team; a developer only their own.</summary>
    public static bool SeesAllTeams(this ClaimsPrincipal user) => Policies.SeeAllTeams.Any(user.IsInRole);

    public static Task<List<string>> TeamIdsAsync(this GatewayDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var id = user.UserId();
        return db.TeamMembers.AsNoTracking().Where(m => m.UserId == id).Select(m => m.TeamId).ToListAsync(cancellationToken);
    }

    public static Task<bool> IsMemberAsync(this GatewayDbContext db, ClaimsPrincipal user, string teamId, CancellationToken cancellationToken)
    {
        var id = user.UserId();
        return db.TeamMembers.AnyAsync(m => m.UserId == id && m.TeamId == teamId, cancellationToken);
    }

    /// <summary>True when the caller may read a team's data.</summary>
    public static async Task<bool> CanSeeTeamAsync(this GatewayDbContext db, ClaimsPrincipal user, string teamId, CancellationToken cancellationToken) =>
        user.SeesAllTeams() || await db.IsMemberAsync(user, teamId, cancellationToken);
}
