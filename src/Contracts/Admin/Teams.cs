using Gateway.Contracts.Snapshot;

namespace Gateway.Contracts.Admin;

public sealed record TeamDto(string Id, string Name, string CostCentre, LimitSpec? Limits, int MemberCount, DateTimeOffset CreatedAt, string ConcurrencyStamp);

public sealed record CreateTeamRequest(string Id, string Name, string CostCentre, LimitSpec? Limits = null);

public sealed record UpdateTeamRequest(string Name, string CostCentre, LimitSpec? Limits = null, string? ConcurrencyStamp = null);

public sealed record TeamMemberDto(string UserId, string Email, string DisplayName, TeamRole Role, DateTimeOffset AddedAt);

/// <summary>Adds a user (by e-mail) to a team, or changes their role when already a member.</summary>
public sealed record AddTeamMemberRequest(string Email, TeamRole Role = TeamRole.Member);

/// <summary>Query of <c>GET /api/teams</c>. Sort: id, name, costCentre, createdAt.</summary>
public sealed class TeamQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Sort { get; set; }
    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; set; }

    /// <summary>Matches id, name or cost centre (contains).</summary>
    public string? Search { get; set; }
    public string? CostCentre { get; set; }

    /// <summary>Only the teams the caller belongs to.</summary>
    public bool? Mine { get; set; }
}

/// <summary>Query of <c>GET /api/teams/{id}/members</c>. Sort: email, displayName, role, addedAt.</summary>
public sealed class TeamMemberQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Sort { get; set; }
    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; set; }
    /// <summary>member or owner (case-insensitive).</summary>
    public string? Role { get; set; }
}
