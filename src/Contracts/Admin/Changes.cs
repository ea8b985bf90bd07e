using System.Text.Json.Serialization;

namespace Gateway.Contracts.Admin;

/// <summary>
/// A platform admin's change to the catalog, the providers or the roles, held for a second platform admin
/// when <c>ControlPlane:ChangeControl:RequireSecondAdmin</c> is on (four eyes). The change was
/// rehearsed when it was proposed: <see cref="Effects"/> are the audit events it would write, with
/// the records before and after; approving applies the same request to the state of that moment.
/// </summary>
/// <param name="Id">The change's id (<c>chg-…</c>).</param>
/// <param name="Method">The HTTP method of the admin API call it holds.</param>
/// <param name="Path">The path of that call, e.g. <c>/api/models/gpt-4o/versions/gpt-4o-2024-08-06/prices</c>.</param>
/// <param name="Body">The call's JSON body as proposed (null for a DELETE).</param>
/// <param name="Summary">What it does, one line per effect.</param>
/// <param name="Effects">The audit events the rehearsal wrote (then rolled back).</param>
/// <param name="Result">After a decision to apply: the status code and the body the call answered.</param>
public sealed record ChangeDto(
    string Id, string Method, string Path, string? Body, string Summary, IReadOnlyList<ChangeEffectDto> Effects, ChangeStatus Status,
    string RequestedBy, string RequestedByName, DateTimeOffset RequestedAt,
    string? DecidedBy, string? DecidedByName, DateTimeOffset? DecidedAt, string? Reason, ChangeResultDto? Result);

/// <summary>One audit event a change writes: the record's JSON before and after (null for none).</summary>
public sealed record ChangeEffectDto(string Action, string TargetType, string TargetId, string? Before, string? After);

/// <summary>What the held call answered when it was applied (2xx) or could no longer be (4xx).</summary>
public sealed record ChangeResultDto(int StatusCode, string? Body);

/// <summary>Body of <c>POST /api/changes/{id}/reject</c>: why (required).</summary>
public sealed record RejectChangeRequest(string Reason);

[JsonConverter(typeof(JsonStringEnumConverter<ChangeStatus>))]
public enum ChangeStatus
{
    /// <summary>Waiting for a second platform admin.</summary>
    [JsonStringEnumMemberName("pending")] Pending,

    /// <summary>Approved and applied.</summary>
    [JsonStringEnumMemberName("applied")] Applied,

    /// <summary>Rejected by a second platform admin.</summary>
    [JsonStringEnumMemberName("rejected")] Rejected,

    /// <summary>Withdrawn by the admin who proposed it.</summary>
    [JsonStringEnumMemberName("withdrawn")] Withdrawn,

    /// <summary>Approved, but it no longer applied (the state moved since): <see cref="ChangeDto.Result"/> says why.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>Query of <c>GET /api/changes</c>, newest first.</summary>
public sealed class ChangeQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    /// <summary>pending, applied, rejected, withdrawn or failed (case-insensitive); none: all.</summary>
    public string? Status { get; set; }
}
