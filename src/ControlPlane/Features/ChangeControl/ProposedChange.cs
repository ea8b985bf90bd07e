using Gateway.Contracts.Admin;

namespace Gateway.ControlPlane.Features.ChangeControl;

/// <summary>
/// A platform admin's call to the admin API, held until a second platform admin approves it
/// (<see cref="ChangeControlFilter"/>): the call itself (method, route, values, body) and what its
/// rehearsal showed it would do (the audit events, as JSON).
/// </summary>
internal sealed class ProposedChange
{
    public required string Id { get; set; }

    public required string Method { get; set; }

    /// <summary>The endpoint's route pattern, which finds it again when the change is applied.</summary>
    public required string RoutePattern { get; set; }

    public required string Path { get; set; }

    /// <summary>The route's values, as a JSON object of strings.</summary>
    public required string RouteValues { get; set; }

    /// <summary>The call's JSON body (null for none).</summary>
    public string? Body { get; set; }

    public required string Summary { get; set; }

    /// <summary>The rehearsal's audit events (<see cref="ChangeEffectDto"/>s as a JSON array).</summary>
    public required string Effects { get; set; }

    public ChangeStatus Status { get; set; }

    public required string RequestedBy { get; set; }

    public required string RequestedByName { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public string? DecidedBy { get; set; }

    public string? DecidedByName { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Why it was rejected.</summary>
    public string? Reason { get; set; }

    /// <summary>The status code the call answered when it was approved.</summary>
    public int? ResultStatus { get; set; }

    public string? ResultBody { get; set; }
}
