using System.Text.Json;
using Gateway.Contracts.Admin;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Gateway.ControlPlane.Features.ChangeControl;

/// <summary>
/// Four eyes on the admin API's catalog, provider and role changes (<c>ControlPlane:ChangeControl:RequireSecondAdmin</c>).
/// The handler runs as a rehearsal (<see cref="ChangeGate.Rehearsal"/>): every check it makes, and
/// the database's own, answer the admin at once; a change that would succeed is rolled back and held
/// as a <see cref="ProposedChange"/> (202, <c>Location: /api/changes/{id}</c>) with the audit events
/// it would write. A second platform admin applies it (<see cref="ChangeEndpoints"/>), which runs
/// the same handler again on the state of that moment.
/// Only for handlers whose every write goes through <see cref="ChangeSet.CommitAsync"/>.
/// </summary>
internal sealed class ChangeControlFilter(
    IOptions<ControlPlaneOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, PendingChanges pending, TimeProvider time) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!options.Value.ChangeControl.RequireSecondAdmin) return await next(context);
        var db = http.RequestServices.GetRequiredService<GatewayDbContext>();
        if (db.Gate is not null) return await next(context); // an approved change being applied
        var endpoint = (RouteEndpoint)http.GetEndpoint()!;
        if (endpoint.Metadata.GetMetadata<ChangeControlledMetadata>() is { UnlessProposerIsTheOnlyAdmin: true }
            && !await ChangeEndpoints.AnotherPlatformAdminExistsAsync(db, http.User.UserId(), http.RequestAborted))
            return await next(context); // nobody else could approve it: the first grant of a second admin
        var gate = ChangeGate.Rehearsal();
        db.Gate = gate;
        object? result;
        try
        {
            result = await next(context);
        }
        finally
        {
            db.Gate = null;
        }
        if (!gate.Committed || StatusOf(result) is not (>= 200 and < 300)) return result;

        db.ChangeTracker.Clear(); // the rehearsal's entities were rolled back
        var effects = gate.Rehearsed.Select(e => new ChangeEffectDto(e.Action, e.TargetType, e.TargetId, e.Before, e.After)).ToList();
        var change = db.BeginChange(Actor.From(http.User), time);
        var proposed = new ProposedChange
        {
            Id = "chg-" + Guid.NewGuid().ToString("N"),
            Method = http.Request.Method,
            RoutePattern = endpoint.RoutePattern.RawText!,
            Path = http.Request.Path.Value!,
            RouteValues = JsonSerializer.Serialize(http.Request.RouteValues.ToDictionary(v => v.Key, v => v.Value?.ToString()), ChangeSet.AuditJson),
            Body = BodyOf(context, endpoint),
            Summary = Summarize(effects),
            Effects = JsonSerializer.Serialize(effects, ChangeSet.AuditJson),
            Status = ChangeStatus.Pending,
            RequestedBy = change.Actor.Id,
            RequestedByName = change.Actor.Name,
            RequestedAt = change.Now,
        };
        db.ProposedChanges.Add(proposed);
        change.Audit("change.propose", "change", proposed.Id, null, Audited(proposed));
        await change.CommitAsync(bumpsRevision: false, http.RequestAborted);
        pending.Moved();
        return TypedResults.Accepted($"/api/changes/{proposed.Id}", ChangeEndpoints.ToDto(proposed));
    }

    /// <summary>What the audit chain keeps of a proposal: the call and what it would do.</summary>
    internal static object Audited(ProposedChange c) => new
    {
        c.Method, c.Path, Body = c.Body is null ? (JsonElement?)null : JsonSerializer.Deserialize<JsonElement>(c.Body), c.Summary, c.Status,
    };

    /// <summary>The status code of a handler's result (a <c>Results&lt;…&gt;</c> union holds it one level down).</summary>
    internal static int? StatusOf(object? result) => result switch
    {
        INestedHttpResult nested => StatusOf(nested.Result),
        IStatusCodeHttpResult status => status.StatusCode,
        _ => null,
    };

    /// <summary>The bound body argument, serialized as the API reads it (null when the endpoint takes none).</summary>
    private string? BodyOf(EndpointFilterInvocationContext context, RouteEndpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is not { } type) return null;
        var argument = context.Arguments.FirstOrDefault(a => a?.GetType() == type);
        return argument is null ? null : JsonSerializer.Serialize(argument, type, json.Value.SerializerOptions);
    }

    private static string Summarize(List<ChangeEffectDto> effects)
    {
        var summary = string.Join("; ", effects.Select(e => $"{e.Action} {e.TargetType} '{e.TargetId}'"));
        return summary.Length <= 2000 ? summary : summary[..1997] + "...";
    }
}

/// <summary>Marks the endpoints change control holds, so that an approval finds the endpoint again.</summary>
/// <param name="UnlessProposerIsTheOnlyAdmin">Applies at once while nobody else holds PlatformAdmin (role grants: else the first second admin could never be made).</param>
internal sealed record ChangeControlledMetadata(bool UnlessProposerIsTheOnlyAdmin);

internal static class ChangeControlExtensions
{
    /// <summary>Holds this endpoint's changes for a second platform admin when change control is on.</summary>
    public static RouteHandlerBuilder HeldForSecondAdmin(this RouteHandlerBuilder builder, bool unlessProposerIsTheOnlyAdmin = false) =>
        builder.WithMetadata(new ChangeControlledMetadata(unlessProposerIsTheOnlyAdmin)).AddEndpointFilter<ChangeControlFilter>()
            .Produces<ChangeDto>(StatusCodes.Status202Accepted);
}
