using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.Audit;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gateway.ControlPlane.Features.Notifications;

/// <summary>
/// Delivers the audit log's events to the configured webhooks. The audit log is the outbox: every
/// change writes its event in its own transaction, so nothing is announced that did not happen and
/// nothing that happened is missed. Each webhook keeps a cursor (the last sequence it delivered or
/// passed over) in the database; one replica at a time holds it (a lease), delivers in sequence
/// order, and moves it on only after a 2xx. A failure is tried again with a back-off doubling from
/// 1 s to <see cref="NotificationsOptions.MaxRetrySeconds"/>, and the events after it wait: at least
/// once, in order. A new webhook starts at the log's end (history is not replayed). Reading by
/// sequence skips nothing: audit writers serialise on the chain head, so sequence n+1 commits
/// after n.
/// </summary>
internal sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes, IOptions<ControlPlaneOptions> options, TimeProvider time,
    IMeterFactory meterFactory, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private const int Batch = 100;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Which replica holds a lease: unique per process start, at most 64 characters.
    private readonly string _owner = $"{Environment.MachineName[..Math.Min(16, Environment.MachineName.Length)]}-{Environment.ProcessId}-{Guid.NewGuid():N}";
    // Its own client, not the factory's: the service defaults give every factory client a resilience
    // handler whose retries would send an event again behind the dispatcher's back, out of its order
    // and its back-off. No redirects: a delivery goes where it is configured to, or fails.
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    }) { Timeout = Timeout.InfiniteTimeSpan };

    private readonly Counter<long> _deliveries = meterFactory.Create(ControlPlaneMetrics.MeterName)
        .CreateCounter<long>("gateway.notifications.deliveries", "{delivery}", "Webhook deliveries by webhook and outcome (delivered, failed)");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Notifications;
        if (settings.Webhooks.Count == 0) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var webhook in settings.Webhooks)
            {
                try
                {
                    await RunAsync(webhook, settings, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogRoundFailed(ex, webhook.Name);
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(settings.PollMilliseconds), time, stoppingToken);
        }
    }

    /// <summary>One round of one webhook: claim it, deliver what is new in order, stop at the first failure.</summary>
    internal async Task RunAsync(WebhookOptions webhook, NotificationsOptions settings, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        if (await ClaimAsync(db, webhook.Name, ct) is not { } cursor) return;
        var now = time.GetUtcNow();
        if (cursor.NextAttemptAt is { } next && next > now) return;

        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > cursor.Sequence).OrderBy(e => e.Sequence).Take(Batch).ToListAsync(ct);
        var passed = cursor.Sequence;
        foreach (var e in events)
        {
            var team = EventTeams.Of(e.TargetType, e.TargetId, e.After, e.Before);
            if (!webhook.Wants(e.Action, team))
            {
                passed = e.Sequence;
                continue;
            }
            if (passed != cursor.Sequence) await MoveAsync(db, webhook.Name, passed, ct); // what the filter passed over stays passed
            cursor.Sequence = passed;
            var failure = await DeliverAsync(webhook, settings, e, team, ct);
            if (failure is not null)
            {
                var failures = cursor.Failures + 1;
                var wait = TimeSpan.FromSeconds(Math.Min(settings.MaxRetrySeconds, Math.Pow(2, Math.Min(failures - 1, 20))));
                await db.WebhookCursors.Where(c => c.Name == webhook.Name && c.LeaseOwner == _owner).ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Failures, failures)
                    .SetProperty(c => c.NextAttemptAt, time.GetUtcNow() + wait)
                    .SetProperty(c => c.LastError, failure), ct);
                _deliveries.Add(1, new("gateway.webhook", webhook.Name), new("gateway.outcome", "failed"));
                LogDeliveryFailed(webhook.Name, e.Sequence, e.Action, failure, failures, wait.TotalSeconds);
                return;
            }
            if (cursor.Failures > 0) LogRecovered(webhook.Name, e.Sequence, cursor.Failures);
            cursor.Failures = 0;
            passed = e.Sequence;
            _deliveries.Add(1, new("gateway.webhook", webhook.Name), new("gateway.outcome", "delivered"));
            // Moving the cursor renews the lease; a replica that lost it (a round longer than the
            // lease) stops here, and the holder goes on from the cursor: at least once, in order.
            var delivered = time.GetUtcNow();
            var moved = await db.WebhookCursors.Where(c => c.Name == webhook.Name && c.LeaseOwner == _owner).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Sequence, e.Sequence)
                .SetProperty(c => c.Failures, 0)
                .SetProperty(c => c.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(c => c.LastError, (string?)null)
                .SetProperty(c => c.LastDeliveredAt, delivered)
                .SetProperty(c => c.LeaseUntil, delivered + Lease), ct);
            if (moved == 0) return;
            cursor.Sequence = e.Sequence;
        }
        if (passed != cursor.Sequence) await MoveAsync(db, webhook.Name, passed, ct);
    }

    /// <summary>The webhook's cursor if this replica holds (or now takes) its lease; a new webhook's starts at the log's end.</summary>
    private async Task<WebhookCursor?> ClaimAsync(GatewayDbContext db, string name, CancellationToken ct)
    {
        // Every round claims (or renews) first; whether the cursor exists is asked only when that took nothing.
        if (await TryLeaseAsync(db, name, ct)) return await db.WebhookCursors.AsNoTracking().SingleAsync(c => c.Name == name, ct);
        if (await db.WebhookCursors.AnyAsync(c => c.Name == name, ct)) return null; // another replica holds it
        var end = await db.AuditEvents.MaxAsync(e => (long?)e.Sequence, ct) ?? 0;
        db.WebhookCursors.Add(new WebhookCursor { Name = name, Sequence = end });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another replica created it first.
        }
        db.ChangeTracker.Clear();
        return await TryLeaseAsync(db, name, ct) ? await db.WebhookCursors.AsNoTracking().SingleAsync(c => c.Name == name, ct) : null;
    }

    /// <summary>Takes or renews the lease on the cursor: false when another replica holds it, or there is no cursor.</summary>
    private async Task<bool> TryLeaseAsync(GatewayDbContext db, string name, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var until = now + Lease;
        return await db.WebhookCursors
            .Where(c => c.Name == name && (c.LeaseOwner == null || c.LeaseOwner == _owner || c.LeaseUntil == null || c.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LeaseOwner, _owner).SetProperty(c => c.LeaseUntil, until), ct) > 0;
    }

    private Task MoveAsync(GatewayDbContext db, string name, long sequence, CancellationToken ct) =>
        db.WebhookCursors.Where(c => c.Name == name && c.LeaseOwner == _owner && c.Sequence < sequence)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Sequence, sequence), ct);

    /// <summary>
    /// Sends <paramref name="webhook"/> a <c>webhook.test</c> event at once, outside its order (sequence 0:
    /// not from the audit log), for an operator checking a webhook; null when it took it, else why not.
    /// </summary>
    internal async Task<string?> TestAsync(WebhookOptions webhook, string actor, string actorName, CancellationToken ct)
    {
        var test = new AuditEvent
        {
            Sequence = 0, Time = time.GetUtcNow(), Actor = actor, ActorName = actorName, Action = TestAction, TargetType = "webhook", TargetId = webhook.Name,
            PreviousHash = "", Hash = "",
        };
        var failure = await DeliverAsync(webhook, options.Value.Notifications, test, null, ct);
        LogTested(webhook.Name, actorName, failure ?? "delivered");
        return failure;
    }

    /// <summary>The action of a test delivery.</summary>
    public const string TestAction = "webhook.test";

    /// <summary>POSTs one event; null when the receiver took it (2xx), else why not (never the URL or the secret).</summary>
    private async Task<string?> DeliverAsync(WebhookOptions webhook, NotificationsOptions settings, AuditEvent e, string? team, CancellationToken ct)
    {
        byte[]? secret = null;
        if (webhook.SecretRef is { } reference && (secret = ReadSecret(reference)) is null)
        {
            // Sending unsigned would teach the receiver to take unsigned deliveries.
            LogSecretMissing(webhook.Name);
            return "secret unavailable";
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new WebhookEvent(webhook.Name, e.Sequence, e.Time, e.Action, e.Actor, e.ActorName, e.TargetType, e.TargetId,
                PortalLinks.For(settings.PortalUrl, e.Action), team), Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(WebhookSignature.EventHeader, e.Action);
        request.Headers.Add(WebhookSignature.DeliveryHeader, e.Sequence.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        if (secret is not null) request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return ex is OperationCanceledException ? $"no answer within {settings.TimeoutSeconds} s" : ex.GetType().Name;
        }
    }

    private static byte[]? ReadSecret(string reference)
    {
        try
        {
            return CredentialReferences.Read(reference) is { } secret ? System.Text.Encoding.UTF8.GetBytes(secret) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await ReleaseAsync(cancellationToken);
    }

    /// <summary>Gives up this replica's leases, so that another takes its webhooks at once rather than when the leases run out (a rolling restart).</summary>
    internal async Task ReleaseAsync(CancellationToken ct)
    {
        if (options.Value.Notifications.Webhooks.Count == 0) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            await db.WebhookCursors.Where(c => c.LeaseOwner == _owner)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LeaseOwner, (string?)null).SetProperty(c => c.LeaseUntil, (DateTimeOffset?)null), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The leases run out by themselves.
            LogReleaseFailed(ex);
        }
    }

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 540, Level = LogLevel.Warning,
        Message = "Webhook {Webhook}: event {Sequence} ({Action}) not delivered ({Reason}); attempt {Failures} failed, next in {WaitSeconds} s, later events wait")]
    private partial void LogDeliveryFailed(string webhook, long sequence, string action, string reason, int failures, double waitSeconds);

    [LoggerMessage(EventId = 541, Level = LogLevel.Information, Message = "Webhook {Webhook}: event {Sequence} delivered after {Failures} failed attempts")]
    private partial void LogRecovered(string webhook, long sequence, int failures);

    [LoggerMessage(EventId = 542, Level = LogLevel.Error, Message = "Webhook {Webhook}: its secret reference does not resolve; nothing is sent unsigned")]
    private partial void LogSecretMissing(string webhook);

    [LoggerMessage(EventId = 544, Level = LogLevel.Information, Message = "Webhook {Webhook}: test delivery by {Actor}: {Outcome}")]
    private partial void LogTested(string webhook, string actor, string outcome);

    [LoggerMessage(EventId = 545, Level = LogLevel.Warning, Message = "Webhooks: the leases could not be given up at stop; they run out within 30 s")]
    private partial void LogReleaseFailed(Exception exception);

    [LoggerMessage(EventId = 543, Level = LogLevel.Warning, Message = "Webhook {Webhook}: a delivery round failed")]
    private partial void LogRoundFailed(Exception exception, string webhook);
}
