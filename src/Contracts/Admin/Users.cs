namespace Gateway.Contracts.Admin;

/// <summary>The signed-in caller: who they are, their roles and teams.</summary>
public sealed record MeDto(string UserId, string Email, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<MyTeamDto> Teams);

public sealed record MyTeamDto(string TeamId, string TeamName, string CostCentre, TeamRole Role);

public sealed record UserDto(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt);

/// <summary>Replaces a user's roles (names from <see cref="Identity.GatewayRoles"/>).</summary>
public sealed record SetUserRolesRequest(IReadOnlyList<string> Roles);

/// <summary>Query of <c>GET /api/users</c>. Sort: email, displayName, createdAt.</summary>
public sealed class UserQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Sort { get; set; }
    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; set; }

    /// <summary>Matches e-mail or display name (contains).</summary>
    public string? Search { get; set; }
    public string? Role { get; set; }
}
