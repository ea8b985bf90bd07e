using System.Security.Claims;
using Gateway.Contracts.Admin;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gateway.ControlPlane.Features.Notifications;

/// <summary><c>GET /api/webhooks</c> (platform admins): the configured webhooks and how their deliveries go.</summary>
internal static class WebhookEndpoints
{
    public static void MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/webhooks", ListAsync).WithTags("Notifications").RequireAuthorization(Policies.Admin);
        app.MapPost("/api/webhooks/{name}/test", TestAsync).WithTags("Notifications").RequireAuthorization(Policies.Admin);
    }

    /// <summary>Sends the webhook a <c>webhook.test</c> event now and says whether it took it (200 either way; 404 for no such webhook).</summary>
    private static async Task<Results<Ok<WebhookTestDto>, ProblemHttpResult>> TestAsync(
        string name, ClaimsPrincipal user, WebhookDispatcher dispatcher, IOptions<ControlPlaneOptions> options, CancellationToken ct)
    {
        if (options.Value.Notifications.Webhooks.Find(w => w.Name == name) is not { } webhook) return Problems.NotFound("Webhook", name);
        var actor = Actor.From(user);
        var failure = await dispatcher.TestAsync(webhook, actor.Id, actor.Name, ct);
        return TypedResults.Ok(new WebhookTestDto(name, failure is null, failure));
    }

    private static async Task<Ok<IReadOnlyList<WebhookStatusDto>>> ListAsync(GatewayDbContext db, IOptions<ControlPlaneOptions> options, CancellationToken ct)
    {
        var webhooks = options.Value.Notifications.Webhooks;
        var names = webhooks.Select(w => w.Name).ToList();
        var cursors = await db.WebhookCursors.AsNoTracking().Where(c => names.Contains(c.Name)).ToDictionaryAsync(c => c.Name, ct);
        var head = await db.AuditEvents.MaxAsync(e => (long?)e.Sequence, ct) ?? 0;
        IReadOnlyList<WebhookStatusDto> result = [.. webhooks.Select(w =>
        {
            var cursor = cursors.GetValueOrDefault(w.Name);
            var sequence = cursor?.Sequence ?? head; // not started yet: it will start at the log's end
            return new WebhookStatusDto(w.Name, Uri.TryCreate(w.Url, UriKind.Absolute, out var uri) ? uri.Host : "", w.SecretRef is not null, w.Actions,
                sequence, Math.Max(0, head - sequence), cursor?.LastDeliveredAt, cursor?.Failures ?? 0, cursor?.NextAttemptAt, cursor?.LastError);
        })];
        return TypedResults.Ok(result);
    }
}
