namespace Gateway.Contracts.Admin;

/// <summary>One audit event; <c>Before</c>/<c>After</c> are JSON documents (null for creations/deletions).</summary>
public sealed record AuditEventDto(
    long Sequence, DateTimeOffset Time, string Actor, string ActorName, string Action, string TargetType, string TargetId,
    string? Before, string? After, string PreviousHash, string Hash);

/// <summary>Result of walking the audit hash chain; names the first broken link.</summary>
public sealed record AuditVerificationDto(bool Valid, long EventsChecked, long? FirstBrokenSequence, string? Reason);

/// <summary>
/// Query of <c>GET /api/audit</c> and <c>GET /api/audit/export</c>. Sort: sequence, time, actor, action.
/// </summary>
public sealed class AuditQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Sort { get; set; }
    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; set; }
    public string? Actor { get; set; }

    /// <summary>Exact action, or a prefix ending in '.' (e.g. <c>apiKey.</c>).</summary>
    public string? Action { get; set; }
    public string? TargetType { get; set; }
    public string? TargetId { get; set; }
    public DateTimeOffset? From { get; set; }
    public DateTimeOffset? To { get; set; }

    /// <summary>Export only: <c>ndjson</c> (default) or <c>csv</c>.</summary>
    public string? Format { get; set; }
}
