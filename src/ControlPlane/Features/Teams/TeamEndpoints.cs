using System.Security.Claims;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.Identity;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.Teams;

/// <summary><c>/api/teams</c>: every role reads; platform admins create, change and manage members.</summary>
internal static class TeamEndpoints
{
    private static readonly SortMap<Team> Sorts = new SortMap<Team>("id", t => t.Id)
        .Add("id", t => t.Id).Add("name", t => t.Name).Add("costCentre", t => t.CostCentre).Add("createdAt", t => t.CreatedAt);

    public static void MapTeamEndpoints(this IEndpointRouteBuilder app)
    {
        var teams = app.MapGroup("/api/teams").WithTags("Teams");
        teams.MapGet("/", ListAsync).RequireAuthorization(Policies.AnyRole);
        teams.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.AnyRole);
        teams.MapPost("/", CreateAsync).RequireAuthorization(Policies.Admin);
        teams.MapPut("/{id}", UpdateAsync).RequireAuthorization(Policies.Admin);
        teams.MapGet("/{id}/members", ListMembersAsync).RequireAuthorization(Policies.AnyRole);
        teams.MapPut("/{id}/members", AddMemberAsync).RequireAuthorization(Policies.Admin);
        teams.MapDelete("/{id}/members/{userId}", RemoveMemberAsync).RequireAuthorization(Policies.Admin);
    }

    private static async Task<Results<Ok<PagedResult<TeamDto>>, ValidationProblem>> ListAsync(
        [AsParameters] TeamQuery q, ClaimsPrincipal user, GatewayDbContext db, CancellationToken ct)
    {
        var v = new Validation();
        var page = PageRequest.From(q.Page, q.PageSize, q.Sort, q.Order, Sorts, v);
        if (v.Failed) return v.Problem();
        var query = db.Teams.Include(t => t.Members).AsQueryable();
        if (q.Mine == true)
        {
            var mine = await db.TeamIdsAsync(user, ct);
            query = query.Where(t => mine.Contains(t.Id));
        }
        if (!string.IsNullOrWhiteSpace(q.Search)) query = query.Where(t => t.Id.Contains(q.Search) || t.Name.Contains(q.Search) || t.CostCentre.Contains(q.Search));
        if (!string.IsNullOrWhiteSpace(q.CostCentre)) query = query.Where(t => t.CostCentre == q.CostCentre);
        return TypedResults.Ok(await query.ToPageAsync(page, Sorts, t => ToDto(db, t), ct));
    }

    private static async Task<Results<Ok<TeamDto>, ProblemHttpResult>> GetAsync(string id, GatewayDbContext db, CancellationToken ct)
    {
        var team = await db.Teams.Include(t => t.Members).FirstOrDefaultAsync(t => t.Id == id, ct);
        return team is null ? Problems.NotFound("Team", id) : TypedResults.Ok(ToDto(db, team));
    }

    private static async Task<Results<Created<TeamDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateTeamRequest request, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Id("id", request.Id).Required("name", request.Name, 200).Required("costCentre", request.CostCentre, 64).Limits("limits", request.Limits);
        if (v.Failed) return v.Problem();
        if (await db.Teams.AnyAsync(t => t.Id == request.Id, ct)) return Problems.Conflict($"A team with the id '{request.Id}' exists.");
        var change = db.BeginChange(Actor.From(user), time);
        var team = new Team { Id = request.Id, Name = request.Name.Trim(), CostCentre = request.CostCentre.Trim(), CreatedAt = change.Now };
        SetLimits(team, request.Limits);
        db.Teams.Add(team);
        change.Audit("team.create", "team", team.Id, null, Audited(team));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Created($"/api/teams/{team.Id}", ToDto(db, team));
    }

    private static async Task<Results<Ok<TeamDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string id, UpdateTeamRequest request, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Required("name", request.Name, 200).Required("costCentre", request.CostCentre, 64).Limits("limits", request.Limits);
        if (v.Failed) return v.Problem();
        var team = await db.Teams.Include(t => t.Members).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null) return Problems.NotFound("Team", id);
        if (!db.MatchesStamp(team, request.ConcurrencyStamp)) return Problems.Conflict("The team changed since you read it.");
        var before = Audited(team);
        team.Name = request.Name.Trim();
        team.CostCentre = request.CostCentre.Trim();
        SetLimits(team, request.Limits);
        var change = db.BeginChange(Actor.From(user), time);
        change.Audit("team.update", "team", id, before, Audited(team));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Ok(ToDto(db, team));
    }

    private static readonly SortMap<TeamMember> MemberSorts = new SortMap<TeamMember>("addedAt", m => m.UserId)
        .Add("addedAt", m => m.AddedAt).Add("role", m => m.Role).Add("userId", m => m.UserId);

    private static async Task<Results<Ok<PagedResult<TeamMemberDto>>, ValidationProblem, ProblemHttpResult>> ListMembersAsync(
        string id, [AsParameters] TeamMemberQuery q, GatewayDbContext db, CancellationToken ct)
    {
        var v = new Validation();
        var page = PageRequest.From(q.Page, q.PageSize, q.Sort, q.Order, MemberSorts, v);
        var roleFilter = QueryEnums.Parse<TeamRole>(v, "role", q.Role);
        if (v.Failed) return v.Problem();
        if (!await db.Teams.AnyAsync(t => t.Id == id, ct)) return Problems.NotFound("Team", id);
        var query = db.TeamMembers.Where(m => m.TeamId == id);
        if (roleFilter is { } role) query = query.Where(m => m.Role == role);
        var members = await query.ToPageAsync(page, MemberSorts, m => m, ct);
        var ids = members.Items.Select(m => m.UserId).ToList();
        var users = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        return TypedResults.Ok(new PagedResult<TeamMemberDto>(
            [.. members.Items.Select(m => new TeamMemberDto(m.UserId, users.GetValueOrDefault(m.UserId)?.Email ?? "", users.GetValueOrDefault(m.UserId)?.DisplayName ?? "", m.Role, m.AddedAt))],
            members.Total, members.Page, members.PageSize));
    }

    private static async Task<Results<Ok<TeamMemberDto>, ValidationProblem, ProblemHttpResult>> AddMemberAsync(
        string id, AddTeamMemberRequest request, ClaimsPrincipal user, GatewayDbContext db, UserManager<GatewayUser> users, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Required("email", request.Email, 256).Defined("role", request.Role);
        if (v.Failed) return v.Problem();
        if (!await db.Teams.AnyAsync(t => t.Id == id, ct)) return Problems.NotFound("Team", id);
        var member = await users.FindByEmailAsync(request.Email.Trim());
        if (member is null) return Problems.NotFound("User", request.Email);
        var existing = await db.TeamMembers.FindAsync([id, member.Id], ct);
        var change = db.BeginChange(Actor.From(user), time);
        if (existing is null)
        {
            existing = new TeamMember { TeamId = id, UserId = member.Id, Role = request.Role, AddedAt = change.Now };
            db.TeamMembers.Add(existing);
            change.Audit("team.member.add", "team", id, null, new { userId = member.Id, email = member.Email, role = request.Role });
        }
        else
        {
            change.Audit("team.member.role", "team", id, new { userId = member.Id, role = existing.Role }, new { userId = member.Id, role = request.Role });
            existing.Role = request.Role;
        }
        await change.CommitAsync(bumpsRevision: false, ct);
        return TypedResults.Ok(new TeamMemberDto(member.Id, member.Email ?? "", member.DisplayName, existing.Role, existing.AddedAt));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveMemberAsync(
        string id, string userId, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var existing = await db.TeamMembers.FindAsync([id, userId], ct);
        if (existing is null) return Problems.NotFound("Team member", $"{id}/{userId}");
        db.TeamMembers.Remove(existing);
        var change = db.BeginChange(Actor.From(user), time);
        change.Audit("team.member.remove", "team", id, new { userId, role = existing.Role }, null);
        await change.CommitAsync(bumpsRevision: false, ct);
        return TypedResults.NoContent();
    }

    private static void SetLimits(Team team, LimitSpec? limits)
    {
        team.RequestsPerMinute = limits?.RequestsPerMinute;
        team.TokensPerMinute = limits?.TokensPerMinute;
        team.MaxConcurrent = limits?.MaxConcurrent;
    }

    internal static LimitSpec? Limits(int? rpm, int? tpm, int? concurrent) =>
        rpm is null && tpm is null && concurrent is null ? null : new LimitSpec(rpm, tpm, concurrent);

    private static object Audited(Team t) => new { t.Id, t.Name, t.CostCentre, limits = Limits(t.RequestsPerMinute, t.TokensPerMinute, t.MaxConcurrent) };

    private static TeamDto ToDto(GatewayDbContext db, Team t) =>
        new(t.Id, t.Name, t.CostCentre, Limits(t.RequestsPerMinute, t.TokensPerMinute, t.MaxConcurrent), t.Members.Count, t.CreatedAt, db.StampOf(t));
}
