using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Contracts.Admin;
using Gateway.ControlPlane.Tests.Infrastructure;
using Gateway.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// Webhooks (<c>ControlPlane:Notifications:Webhooks</c>) against a real HTTP receiver: the audit
/// log's events reach them signed, filtered by action, at least once and in order through the
/// receiver's failures, without the records before and after.
/// </summary>
public abstract class WebhookTests(ControlPlaneFixture fixture, WebhookReceiver receiver)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AnAccessRequest_ReachesTheApproversWebhook_Signed_AndEveryActionReachesTheCatchAll()
    {
        fixture.Require();
        var team = await NewTeamAsync();
        using var dev = await fixture.ClientAsAsync("dev2@demo.bank");
        var request = await (await dev.PostJsonAsync("/api/access-requests", new CreateAccessRequest(team, "gpt-4o", "Webhook test")))
            .ReadAsync<AccessRequestDto>(HttpStatusCode.Created);

        var delivered = await receiver.DeliveredAsync("approvals", d => d.Event.TargetId == request.Id, Within);
        Assert.Equal("accessRequest.create", delivered.Event.Action);
        Assert.Equal("approvals", delivered.Event.Webhook);
        Assert.Equal("https://ai-portal.test/approvals", delivered.Event.Link); // the approvers' queue
        var me = await (await dev.Get("/api/me")).ReadAsync<MeDto>();
        Assert.Equal(me.UserId, delivered.Event.Actor);
        Assert.Equal(me.Email, delivered.Event.ActorName);
        Assert.Equal("accessRequest.create", delivered.Headers[WebhookSignature.EventHeader]);
        Assert.Equal(delivered.Event.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), delivered.Headers[WebhookSignature.DeliveryHeader]);
        Assert.True(WebhookSignature.Verify(Encoding.UTF8.GetBytes(WebhookSettings.Secret), delivered.Headers[WebhookSignature.TimestampHeader],
            delivered.Headers[WebhookSignature.SignatureHeader], delivered.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Encoding.UTF8.GetBytes("another-secret"), delivered.Headers[WebhookSignature.TimestampHeader],
            delivered.Headers[WebhookSignature.SignatureHeader], delivered.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        using (var body = JsonDocument.Parse(delivered.Body))
        {
            Assert.False(body.RootElement.TryGetProperty("before", out _)); // the records stay in the admin API
            Assert.False(body.RootElement.TryGetProperty("after", out _));
        }

        // The catch-all (no filter, no secret) gets it too, unsigned, and the team's creation before it;
        // the approvers' webhook never gets a team's creation.
        // What a platform admin sees of them: hosts only (an incoming-webhook URL holds a token), no secret.
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var statuses = await (await admin.Get("/api/webhooks")).ReadAsync<List<WebhookStatusDto>>();
        Assert.Equal(["approvals", "all", "ordered", "probe", "team-channel"], statuses.Select(w => w.Name));
        var approvals = statuses[0];
        Assert.Equal("127.0.0.1", approvals.Host);
        Assert.True(approvals.Signed);
        Assert.False(statuses[1].Signed);
        Assert.Equal(["accessRequest."], approvals.Actions);
        Assert.True(approvals.Sequence >= delivered.Event.Sequence);
        Assert.NotNull(approvals.LastDeliveredAt);
        var text = await (await admin.Get("/api/webhooks")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("/hooks/", text, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookSettings.Secret, text, StringComparison.Ordinal);

        var all = await receiver.DeliveredAsync("all", d => d.Event.TargetId == request.Id, Within);
        Assert.False(all.Headers.ContainsKey(WebhookSignature.SignatureHeader));
        Assert.Contains(receiver.Delivered("all"), d => d.Event.Action == "team.create" && d.Event.TargetId == team);
        Assert.DoesNotContain(receiver.Delivered("approvals"), d => !d.Event.Action.StartsWith("accessRequest.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailingReceiver_GetsTheEventsAgain_InOrder_EachTakenOnce()
    {
        fixture.Require();
        var team = await NewTeamAsync();
        using var dev = await fixture.ClientAsAsync("dev2@demo.bank");
        receiver.FailNext("ordered", HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable);
        var ids = new List<string>();
        foreach (var model in new[] { "gpt-4o", "gpt-4o-mini", "claude-sonnet" })
        {
            var request = await (await dev.PostJsonAsync("/api/access-requests", new CreateAccessRequest(team, model, $"Ordered {model}")))
                .ReadAsync<AccessRequestDto>(HttpStatusCode.Created);
            ids.Add(request.Id);
        }

        await receiver.DeliveredAsync("ordered", d => d.Event.TargetId == ids[^1], Within);
        var taken = receiver.Delivered("ordered").Where(d => ids.Contains(d.Event.TargetId)).ToList();
        Assert.Equal(ids, taken.Select(d => d.Event.TargetId)); // in order, each once
        var attempts = receiver.Attempts("ordered").Where(a => ids.Contains(a.Event.TargetId)).ToList();
        Assert.Equal(ids.Count + 2, attempts.Count); // the first was refused twice, then taken
        Assert.All(attempts.Take(3), a => Assert.Equal(ids[0], a.Event.TargetId));
        var sequences = receiver.Delivered("ordered").Select(d => d.Event.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Distinct().Count(), sequences.Count);
    }

    [Fact]
    public async Task ATeamsChannel_GetsThatTeamsEventsOnly_AndEveryEventNamesItsTeam()
    {
        fixture.Require();
        var ours = await NewTeamAsync(WebhookSettings.TeamWithAChannel);
        var theirs = await NewTeamAsync();
        using var dev = await fixture.ClientAsAsync("dev2@demo.bank");
        var mine = await (await dev.PostJsonAsync("/api/access-requests", new CreateAccessRequest(ours, "claude-sonnet", "Ours")))
            .ReadAsync<AccessRequestDto>(HttpStatusCode.Created);
        var other = await (await dev.PostJsonAsync("/api/access-requests", new CreateAccessRequest(theirs, "claude-sonnet", "Theirs")))
            .ReadAsync<AccessRequestDto>(HttpStatusCode.Created);

        var delivered = await receiver.DeliveredAsync("team-channel", d => d.Event.TargetId == mine.Id, Within);
        Assert.Equal(ours, delivered.Event.TeamId);
        var theirsToApprovers = await receiver.DeliveredAsync("approvals", d => d.Event.TargetId == other.Id, Within); // delivered after ours in the log
        Assert.Equal(theirs, theirsToApprovers.Event.TeamId);
        await receiver.DeliveredAsync("all", d => d.Event.TargetId == other.Id, Within);
        Assert.DoesNotContain(receiver.Delivered("team-channel"), d => d.Event.TargetId == other.Id || d.Event.TargetId == theirs);
        Assert.All(receiver.Delivered("team-channel"), d => Assert.Equal(ours, d.Event.TeamId));
        Assert.Contains(receiver.Delivered("team-channel"), d => d.Event.Action == "team.create"); // the team's own events too
    }

    [Fact]
    public async Task ATestDelivery_IsSentAtOnce_Signed_AndSaysWhetherTheReceiverTookIt()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var taken = await (await admin.PostAsync(new Uri("/api/webhooks/probe/test", UriKind.Relative), null, TestContext.Current.CancellationToken))
            .ReadAsync<WebhookTestDto>();
        Assert.Equal(new WebhookTestDto("probe", true, null), taken);
        var test = Assert.Single(receiver.Delivered("probe"));
        Assert.Equal("webhook.test", test.Event.Action);
        Assert.Equal(0, test.Event.Sequence); // not from the audit log
        Assert.Equal("probe", test.Event.TargetId);
        Assert.Equal("https://ai-portal.test/admin/webhooks", test.Event.Link);
        Assert.True(WebhookSignature.Verify(Encoding.UTF8.GetBytes(WebhookSettings.Secret), test.Headers[WebhookSignature.TimestampHeader],
            test.Headers[WebhookSignature.SignatureHeader], test.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));

        receiver.FailNext("probe", HttpStatusCode.ServiceUnavailable);
        var refused = await (await admin.PostAsync(new Uri("/api/webhooks/probe/test", UriKind.Relative), null, TestContext.Current.CancellationToken))
            .ReadAsync<WebhookTestDto>();
        Assert.Equal(new WebhookTestDto("probe", false, "HTTP 503"), refused);

        await (await admin.PostAsync(new Uri("/api/webhooks/nobody/test", UriKind.Relative), null, TestContext.Current.CancellationToken))
            .ProblemAsync(HttpStatusCode.NotFound);
        // A test is not an event of the log: the probe's cursor did not move for it, nor did anything else reach the probe.
        Assert.Equal(2, receiver.Attempts("probe").Count);
    }

    [Fact]
    public async Task ASecondReplica_DeliversNothingWhileTheFirstHoldsTheWebhook()
    {
        fixture.Require();
        var services = fixture.App.Services;
        var rival = new Features.Notifications.WebhookDispatcher(services.GetRequiredService<IServiceScopeFactory>(),
            services.GetRequiredService<IOptions<Gateway.ControlPlane.Infrastructure.ControlPlaneOptions>>(), TimeProvider.System,
            services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), NullLogger<Features.Notifications.WebhookDispatcher>.Instance);
        var settings = services.GetRequiredService<IOptions<Gateway.ControlPlane.Infrastructure.ControlPlaneOptions>>().Value.Notifications;
        var all = settings.Webhooks.Single(w => w.Name == "all");
        using var stop = new CancellationTokenSource();
        var racing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await rival.RunAsync(all, settings, CancellationToken.None);
                await Task.Delay(10, CancellationToken.None);
            }
        }, TestContext.Current.CancellationToken);

        var teams = new List<string>();
        for (var i = 0; i < 5; i++) teams.Add(await NewTeamAsync());
        foreach (var team in teams) await receiver.DeliveredAsync("all", d => d.Event.Action == "team.create" && d.Event.TargetId == team, Within);
        await stop.CancelAsync();
        await racing;
        await rival.ReleaseAsync(CancellationToken.None); // as a replica does when it stops: the other takes over at once

        foreach (var team in teams)
            Assert.Single(receiver.Delivered("all"), d => d.Event.Action == "team.create" && d.Event.TargetId == team);
        var sequences = receiver.Delivered("all").Select(d => d.Event.Sequence).ToList();
        Assert.Equal(sequences.Distinct().Count(), sequences.Count);
    }

    private async Task<string> NewTeamAsync(string? id = null)
    {
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        id ??= "team-" + Guid.NewGuid().ToString("N")[..8];
        await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest(id, "Test " + id, "CC-" + id[5..]))).ReadAsync<TeamDto>(HttpStatusCode.Created);
        await (await admin.PutJsonAsync($"/api/teams/{id}/members", new AddTeamMemberRequest("dev2@demo.bank"))).ReadAsync<TeamMemberDto>();
        return id;
    }
}

/// <summary>A real HTTP server that takes webhook deliveries, records every attempt, and refuses the ones a test asks it to.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<HttpStatusCode>> _failures = new();

    public WebhookReceiver()
    {
        Port = FreePorts.One();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        _app = builder.Build();
        _app.MapPost("/hooks/{name}", async (string name, HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var status = _failures.TryGetValue(name, out var queue) && queue.TryDequeue(out var failure) ? failure : HttpStatusCode.NoContent;
            var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            _attempts.Enqueue(new Attempt(name, JsonSerializer.Deserialize<WebhookEvent>(body, new JsonSerializerOptions(JsonSerializerDefaults.Web))!, body, headers, (int)status < 300));
            return Results.StatusCode((int)status);
        });
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public int Port { get; }

    public string Url(string name) => $"http://127.0.0.1:{Port}/hooks/{name}";

    public void FailNext(string name, params HttpStatusCode[] statuses)
    {
        var queue = _failures.GetOrAdd(name, _ => new());
        foreach (var s in statuses) queue.Enqueue(s);
    }

    public IReadOnlyList<Attempt> Attempts(string name) => [.. _attempts.Where(a => a.Name == name)];

    public IReadOnlyList<Attempt> Delivered(string name) => [.. _attempts.Where(a => a.Name == name && a.Taken)];

    public async Task<Attempt> DeliveredAsync(string name, Func<Attempt, bool> which, TimeSpan within)
    {
        await Eventually.HoldsAsync(() => Delivered(name).Any(which), within, $"a delivery to webhook {name}");
        return Delivered(name).First(which);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public sealed record Attempt(string Name, WebhookEvent Event, byte[] Body, IReadOnlyDictionary<string, string> Headers, bool Taken);
}

/// <summary>Three webhooks on a <see cref="WebhookReceiver"/>: the approvers' (signed, access requests only), a catch-all, and one the tests make fail.</summary>
public static class WebhookSettings
{
    public const string Secret = "webhook-test-secret-0123456789";
    public const string TeamWithAChannel = "team-with-a-channel";
    private const string SecretVariable = "GATEWAY_TEST_WEBHOOK_SECRET";

    public static IEnumerable<KeyValuePair<string, string?>> For(WebhookReceiver receiver)
    {
        Environment.SetEnvironmentVariable(SecretVariable, Secret);
        return
        [
            new("ControlPlane:Notifications:PollMilliseconds", "100"),
            new("ControlPlane:Notifications:MaxRetrySeconds", "1"),
            new("ControlPlane:Notifications:PortalUrl", "https://ai-portal.test/"),
            new("ControlPlane:Notifications:Webhooks:0:Name", "approvals"),
            new("ControlPlane:Notifications:Webhooks:0:Url", receiver.Url("approvals")),
            new("ControlPlane:Notifications:Webhooks:0:SecretRef", $"env:{SecretVariable}"),
            new("ControlPlane:Notifications:Webhooks:0:Actions:0", "accessRequest."),
            new("ControlPlane:Notifications:Webhooks:1:Name", "all"),
            new("ControlPlane:Notifications:Webhooks:1:Url", receiver.Url("all")),
            new("ControlPlane:Notifications:Webhooks:2:Name", "ordered"),
            new("ControlPlane:Notifications:Webhooks:2:Url", receiver.Url("ordered")),
            new("ControlPlane:Notifications:Webhooks:2:Actions:0", "accessRequest.create"),
            new("ControlPlane:Notifications:Webhooks:3:Name", "probe"),
            new("ControlPlane:Notifications:Webhooks:3:Url", receiver.Url("probe")),
            new("ControlPlane:Notifications:Webhooks:3:SecretRef", $"env:{SecretVariable}"),
            new("ControlPlane:Notifications:Webhooks:3:Actions:0", "nothing.is.called.this"),
            new("ControlPlane:Notifications:Webhooks:4:Name", "team-channel"),
            new("ControlPlane:Notifications:Webhooks:4:Url", receiver.Url("team-channel")),
            new("ControlPlane:Notifications:Webhooks:4:Teams:0", TeamWithAChannel),
        ];
    }
}

public sealed class WebhookSqliteFixture : ConfiguredSqliteFixture
{
    public WebhookReceiver Receiver { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => WebhookSettings.For(Receiver);
}

public sealed class WebhookPostgresFixture : ConfiguredPostgresFixture
{
    public WebhookReceiver Receiver { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => WebhookSettings.For(Receiver);
}

[CollectionDefinition(Name)]
public sealed class WebhookSqliteCollection : ICollectionFixture<WebhookSqliteFixture>
{
    public const string Name = "ControlPlane on SQLite, with webhooks";
}

[CollectionDefinition(Name)]
public sealed class WebhookPostgresCollection : ICollectionFixture<WebhookPostgresFixture>
{
    public const string Name = "ControlPlane on PostgreSQL, with webhooks";
}

[Collection(WebhookSqliteCollection.Name)]
public sealed class WebhookTests_Sqlite(WebhookSqliteFixture fixture) : WebhookTests(fixture, fixture.Receiver);

[Collection(WebhookPostgresCollection.Name)]
public sealed class WebhookTests_Postgres(WebhookPostgresFixture fixture) : WebhookTests(fixture, fixture.Receiver);

/// <summary>Webhook settings a control plane refuses to start with, each named.</summary>
public sealed class WebhookSettingsValidationTests
{
    [Fact]
    public void BadWebhookSettings_AreEachNamed()
    {
        var options = new Features.Notifications.NotificationsOptions
        {
            PollMilliseconds = 10,
            PortalUrl = "portal.bank",
            Webhooks =
            [
                new() { Name = "ok", Url = "https://chat.example/hook", SecretRef = "env:HOOK_SECRET", Actions = ["change."] },
                new() { Name = "ok", Url = "ftp://x", SecretRef = "the-secret-itself" },
                new() { Name = "bad name!", Url = "https://x", Actions = [" "] },
            ],
        };
        Assert.Equal(
        [
            "ControlPlane:Notifications:PollMilliseconds must be between 50 and 3600000",
            "ControlPlane:Notifications:PortalUrl must be an absolute http or https URL",
            "ControlPlane:Notifications:Webhooks:1:Name 'ok' is used twice",
            "ControlPlane:Notifications:Webhooks:1:Url must be an absolute http or https URL",
            "ControlPlane:Notifications:Webhooks:1:SecretRef must be 'env:NAME' or 'file:/absolute/path' (a reference, never the secret)",
            "ControlPlane:Notifications:Webhooks:2:Name must be 1 to 64 letters, digits, '-', '_' or '.'",
            "ControlPlane:Notifications:Webhooks:2:Actions must not hold an empty entry",
        ], options.Problems());
        Assert.Empty(new Features.Notifications.NotificationsOptions { Webhooks = [options.Webhooks[0]] }.Problems());
    }

    [Theory]
    [InlineData("accessRequest.create", "https://portal.bank/approvals")]
    [InlineData("accessRequest.approve", "https://portal.bank/requests")]
    [InlineData("change.propose", "https://portal.bank/admin/changes")]
    [InlineData("apiKey.revoke", "https://portal.bank/keys")]
    [InlineData("statement.close", "https://portal.bank/finance/statements")]
    [InlineData("system.seedDemo", "https://portal.bank/admin/audit")]
    public void ADeliverysLink_IsThePageWhereItsEventIsActedOn(string action, string link)
    {
        Assert.Equal(link, Features.Notifications.PortalLinks.For("https://portal.bank", action));
        Assert.Equal(link, Features.Notifications.PortalLinks.For("https://portal.bank/", action));
        Assert.Null(Features.Notifications.PortalLinks.For(null, action));
        Assert.Equal(link.Replace("https://portal.bank", "https://bank.internal/ai", StringComparison.Ordinal),
            Features.Notifications.PortalLinks.For("https://bank.internal/ai", action)); // a portal under a path keeps it
    }

    [Fact]
    public void AnEventsTeam_IsTheTeamItself_OrTheTeamIdOfItsRecord()
    {
        Assert.Equal("team-a", Features.Notifications.EventTeams.Of("team", "team-a", null, null));
        Assert.Equal("team-b", Features.Notifications.EventTeams.Of("accessRequest", "req-1", """{"id":"req-1","teamId":"team-b"}""", null));
        Assert.Equal("team-c", Features.Notifications.EventTeams.Of("apiKey", "k1", null, """{"keyId":"k1","teamId":"team-c"}""")); // revoked: only before
        Assert.Null(Features.Notifications.EventTeams.Of("modelVersion", "v1", """{"name":"v1"}""", null));
        Assert.Null(Features.Notifications.EventTeams.Of("provider", "p1", "not json", null));
        Assert.Null(Features.Notifications.EventTeams.Of("x", "y", """{"teamId":7}""", null));

        var channel = new Features.Notifications.WebhookOptions { Teams = ["team-a"] };
        Assert.True(channel.Wants("accessRequest.create", "team-a"));
        Assert.False(channel.Wants("accessRequest.create", "team-b"));
        Assert.False(channel.Wants("model.update", null)); // the platform's own events are not a team's
        Assert.True(new Features.Notifications.WebhookOptions().Wants("model.update", null));
    }

    [Theory]
    [InlineData("accessRequest.create", true)]
    [InlineData("change.approve", true)]
    [InlineData("accessRequest.approve", false)]
    [InlineData("changes.x", false)]
    public void AWebhooksActions_AreExactOrPrefixes(string action, bool wanted)
    {
        var webhook = new Features.Notifications.WebhookOptions { Actions = ["accessRequest.create", "change."] };
        Assert.Equal(wanted, webhook.Wants(action));
        Assert.True(new Features.Notifications.WebhookOptions().Wants(action)); // no filter: every action
    }
}
