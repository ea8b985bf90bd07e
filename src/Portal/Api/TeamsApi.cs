using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary><c>/api/teams</c> and <c>/api/users</c>: teams, members and users' roles (a role change may wait for a second platform admin: <see cref="ChangeOutcome"/>).</summary>
internal sealed class TeamsApi(HttpClient http, IAccessTokenSource tokens) : ApiClient(http, tokens)
{
    public Task<PagedResult<TeamDto>> ListAsync(TeamQuery query, CancellationToken ct) => GetAsync<PagedResult<TeamDto>>("api/teams", query, ct);

    public Task<TeamDto> CreateAsync(CreateTeamRequest request, CancellationToken ct) => SendAsync<TeamDto>(HttpMethod.Post, "api/teams", request, ct);

    public Task<TeamDto> UpdateAsync(string id, UpdateTeamRequest request, CancellationToken ct) => SendAsync<TeamDto>(HttpMethod.Put, $"api/teams/{E(id)}", request, ct);

    public Task<PagedResult<TeamMemberDto>> ListMembersAsync(string teamId, TeamMemberQuery query, CancellationToken ct) =>
        GetAsync<PagedResult<TeamMemberDto>>($"api/teams/{E(teamId)}/members", query, ct);

    public Task<TeamMemberDto> AddMemberAsync(string teamId, AddTeamMemberRequest request, CancellationToken ct) =>
        SendAsync<TeamMemberDto>(HttpMethod.Put, $"api/teams/{E(teamId)}/members", request, ct);

    public Task RemoveMemberAsync(string teamId, string userId, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, $"api/teams/{E(teamId)}/members/{E(userId)}", null, ct);

    public Task<PagedResult<UserDto>> ListUsersAsync(UserQuery query, CancellationToken ct) => GetAsync<PagedResult<UserDto>>("api/users", query, ct);

    public Task<ChangeOutcome<UserDto>> SetRolesAsync(string userId, SetUserRolesRequest request, CancellationToken ct) =>
        ProposeAsync<UserDto>(HttpMethod.Put, $"api/users/{E(userId)}/roles", request, ct);

    private static string E(string segment) => Uri.EscapeDataString(segment);
}
