using Gateway.Contracts.Admin;

namespace Gateway.ControlPlane.Features.Teams;

/// <summary>A team: owns keys and subscriptions and pays through its cost centre.</summary>
internal sealed class Team
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public required string CostCentre { get; set; }

    public int? RequestsPerMinute { get; set; }

    public int? TokensPerMinute { get; set; }

    public int? MaxConcurrent { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<TeamMember> Members { get; set; } = [];
}

/// <summary>A user's membership of a team.</summary>
internal sealed class TeamMember
{
    public required string TeamId { get; set; }

    public required string UserId { get; set; }

    public TeamRole Role { get; set; }

    public DateTimeOffset AddedAt { get; set; }

    public Team? Team { get; set; }
}
