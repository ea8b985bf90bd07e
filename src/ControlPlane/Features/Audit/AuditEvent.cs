namespace Gateway.ControlPlane.Features.Audit;

/// <summary>
/// One append-only audit event. <see cref="Hash"/> is SHA-256 over the canonical form of the
/// event and <see cref="PreviousHash"/>, so editing or deleting an event breaks the chain.
/// </summary>
internal sealed class AuditEvent
{
    public long Sequence { get; set; }

    public DateTimeOffset Time { get; set; }

    public required string Actor { get; set; }

    public required string ActorName { get; set; }

    public required string Action { get; set; }

    public required string TargetType { get; set; }

    public required string TargetId { get; set; }

    public string? Before { get; set; }

    public string? After { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }
}
