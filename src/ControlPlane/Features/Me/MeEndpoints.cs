using System.Security.Claims;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.ChangeControl;
using Gateway.ControlPlane.Features.Identity;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gateway.ControlPlane.Features.Me;

/// <summary><c>/api/me</c> (any caller) and <c>/api/users</c> (platform admins: list, set roles).</summary>
internal static class MeEndpoints
{
    private static readonly SortMap<GatewayUser> Sorts = new SortMap<GatewayUser>("email", u => u.Id)
        .Add("email", u => u.Email).Add("displayName", u => u.DisplayName).Add("createdAt", u => u.CreatedAt);

    public static void MapMeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", GetMeAsync).WithTags("Me").RequireAuthorization(Policies.Authenticated);
        var users = app.MapGroup("/api/users").WithTags("Users");
        users.MapGet("/", ListUsersAsync).RequireAuthorization(Policies.Admin);
        users.MapPut("/{id}/roles", SetRolesAsync).RequireAuthorization(Policies.Admin).HeldForSecondAdmin(unlessProposerIsTheOnlyAdmin: true);
    }

    private static async Task<Ok<MeDto>> GetMeAsync(ClaimsPrincipal user, GatewayDbContext db, CancellationToken ct)
    {
        var id = user.UserId();
        var teams = await db.TeamMembers.Where(m => m.UserId == id).Join(db.Teams, m => m.TeamId, t => t.Id, (m, t) => new { t.Id, t.Name, t.CostCentre, m.Role })
            .OrderBy(t => t.Id).ToListAsync(ct);
        return TypedResults.Ok(new MeDto(
            id, user.GetClaim(Claims.Email) ?? "", user.GetClaim(Claims.Name) ?? id,
            [.. user.GetClaims(Claims.Role).Where(GatewayRoles.All.Contains).Order(StringComparer.Ordinal)],
            [.. teams.Select(t => new MyTeamDto(t.Id, t.Name, t.CostCentre, t.Role))]));
    }

    private static async Task<Results<Ok<PagedResult<UserDto>>, ValidationProblem>> ListUsersAsync(
        [AsParameters] UserQuery q, GatewayDbContext db, CancellationToken ct)
    {
        var v = new Validation();
        var page = PageRequest.From(q.Page, q.PageSize, q.Sort, q.Order, Sorts, v);
        if (q.Role is { } r && !GatewayRoles.All.Contains(r)) v.Error("role", $"must be one of: {string.Join(", ", GatewayRoles.All)}");
        if (v.Failed) return v.Problem();
        var query = db.Users.AsQueryable();
        if (!string.IsNullOrWhiteSpace(q.Search)) query = query.Where(u => u.Email!.Contains(q.Search) || u.DisplayName.Contains(q.Search));
        if (q.Role is { } role)
        {
            var roleId = $"role-{role.ToLowerInvariant()}";
            query = query.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == roleId));
        }
        var result = await query.ToPageAsync(page, Sorts, u => u, ct);
        var ids = result.Items.Select(u => u.Id).ToList();
        var roles = await db.UserRoles.Where(ur => ids.Contains(ur.UserId)).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(ct);
        return TypedResults.Ok(new PagedResult<UserDto>(
            [.. result.Items.Select(u => new UserDto(u.Id, u.Email ?? "", u.DisplayName, [.. roles.Where(x => x.UserId == u.Id).Select(x => x.Name!).Order(StringComparer.Ordinal)], u.CreatedAt))],
            result.Total, result.Page, result.PageSize));
    }

    private static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> SetRolesAsync(
        string id, SetUserRolesRequest request, ClaimsPrincipal caller, UserManager<GatewayUser> users, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation();
        if (request.Roles is null) v.Error("roles", "is required");
        else
        {
            for (var i = 0; i < request.Roles.Count; i++)
            {
                if (!GatewayRoles.All.Contains(request.Roles[i])) v.Error($"roles[{i}]", $"must be one of: {string.Join(", ", GatewayRoles.All)}");
            }
        }
        if (v.Failed) return v.Problem();
        var user = await users.FindByIdAsync(id);
        if (user is null) return Problems.NotFound("User", id);
        var current = await users.GetRolesAsync(user);
        var wanted = request.Roles!.Distinct(StringComparer.Ordinal).ToList();
        if (id == caller.UserId() && current.Contains(GatewayRoles.PlatformAdmin) && !wanted.Contains(GatewayRoles.PlatformAdmin))
            return Problems.Conflict("You cannot remove your own PlatformAdmin role.");
        // Segregation of duties: nobody grants themselves a role (an admin making themselves an
        // approver or a finance analyst); another platform admin must. Giving one up is fine.
        if (id == caller.UserId() && wanted.Except(current).FirstOrDefault() is { } granted)
            return Problems.Conflict($"You cannot grant yourself the {granted} role; another platform admin must.");
        // The roles and their audit event commit together, or neither does.
        var change = db.BeginChange(Actor.From(caller), time);
        await change.BeginAsync(ct);
        Succeeded(await users.RemoveFromRolesAsync(user, current.Except(wanted)));
        Succeeded(await users.AddToRolesAsync(user, wanted.Except(current)));
        change.Audit("user.roles", "user", id, new { roles = current.Order(StringComparer.Ordinal) }, new { roles = wanted.Order(StringComparer.Ordinal) });
        await change.CommitAsync(bumpsRevision: false, ct);
        return TypedResults.Ok(new UserDto(user.Id, user.Email ?? "", user.DisplayName, [.. wanted.Order(StringComparer.Ordinal)], user.CreatedAt));
    }

    /// <summary>An Identity result that failed throws, so the change's transaction rolls back (and the caller gets a 409 for a lost race).</summary>
    private static void Succeeded(IdentityResult result)
    {
        if (!result.Succeeded) throw new DbUpdateConcurrencyException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
