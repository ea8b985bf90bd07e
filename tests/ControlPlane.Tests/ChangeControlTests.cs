using System.Diagnostics.Metrics;
using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Demo;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Tests.Infrastructure;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// <c>ControlPlane:ChangeControl:RequireSecondAdmin</c>: a platform admin's change to the catalog or
/// the providers is rehearsed (bad input answered at once), held (202, nothing changes, nothing
/// reaches the proxies), and applied only when another platform admin approves it, as the
/// proposer's call, with the approval in the same audit chain; rejected, withdrawn, decided once,
/// and failed when the state moved under it.
/// </summary>
public abstract class ChangeControlTests(ControlPlaneFixture fixture)
{
    private const string Admin = "admin@demo.bank";
    private const string SecondAdmin = "dev2@demo.bank";

    [Fact]
    public async Task APriceChange_IsHeldUntilASecondAdminApprovesIt_ThenAppliedAsProposed_AndPublished()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync(Admin);
        var (alias, version) = await NewModelAsync(admin);
        var before = await VersionAsync(admin, alias, version);
        var head = await HeadAsync(admin);

        var proposedPrices = new PriceSpec(3.25m, 1.5m, 12.75m, "USD");
        var response = await admin.PutJsonAsync($"/api/models/{alias}/versions/{version}/prices", new UpdatePricesRequest(proposedPrices, before.ConcurrencyStamp));
        var proposed = await response.ReadAsync<ChangeDto>(HttpStatusCode.Accepted);
        Assert.Equal($"/api/changes/{proposed.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(ChangeStatus.Pending, proposed.Status);
        Assert.Equal(("PUT", $"/api/models/{alias}/versions/{version}/prices"), (proposed.Method, proposed.Path));
        var effect = Assert.Single(proposed.Effects);
        Assert.Equal(("model.version.prices", "modelVersion", version), (effect.Action, effect.TargetType, effect.TargetId));
        Assert.Contains("2.5", effect.Before, StringComparison.Ordinal);
        Assert.Contains("12.75", effect.After, StringComparison.Ordinal);

        // Held: the version is as it was, and the only audit event is the proposal.
        Assert.Equal(before.Prices, (await VersionAsync(admin, alias, version)).Prices);
        var proposal = Assert.Single(await AuditSinceAsync(admin, head));
        Assert.Equal(("change.propose", proposed.Id, "admin@demo.bank"), (proposal.Action, proposal.TargetId, proposal.ActorName));

        // Four eyes: the proposer can neither approve nor reject it.
        var own = await (await admin.PostAsync(new Uri($"/api/changes/{proposed.Id}/approve", UriKind.Relative), null, Api.Ct)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("another platform admin", own.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await admin.PostJsonAsync($"/api/changes/{proposed.Id}/reject", new RejectChangeRequest("mine"))).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(ChangeStatus.Pending, (await (await admin.Get($"/api/changes/{proposed.Id}")).ReadAsync<ChangeDto>()).Status);

        using var second = await SecondAdminAsync(admin);
        var pending = await (await second.Get("/api/changes?status=pending&pageSize=100")).ReadAsync<PagedResult<ChangeDto>>();
        Assert.Contains(pending.Items, c => c.Id == proposed.Id);
        var published = SnapshotWatch.WaitForAsync(fixture, s =>
            s.Models.FirstOrDefault(m => m.Alias == alias)?.Versions.FirstOrDefault(v => v.Name == version)?.Prices == proposedPrices, "change-control-watcher");

        var approved = await (await Approve(second, proposed.Id)).ReadAsync<ChangeDto>();
        Assert.Equal(ChangeStatus.Applied, approved.Status);
        Assert.Equal(SecondAdmin, approved.DecidedByName);
        Assert.Equal(200, approved.Result?.StatusCode);
        Assert.Contains("12.75", approved.Result?.Body, StringComparison.Ordinal);
        Assert.Equal(proposedPrices, (await VersionAsync(admin, alias, version)).Prices);
        await published.WaitAsync(TimeSpan.FromSeconds(20), Api.Ct);

        // The change is the proposer's, the approval the second admin's, in that order, and the chain holds.
        var events = await AuditSinceAsync(admin, head);
        Assert.Equal(["change.propose", "model.version.prices", "change.approve"], events.Select(e => e.Action));
        Assert.Equal(Admin, events[1].ActorName);
        Assert.Equal(SecondAdmin, events[2].ActorName);
        Assert.True((await (await admin.Get("/api/audit/verify")).ReadAsync<AuditVerificationDto>()).Valid);

        // Decided once.
        await (await Approve(second, proposed.Id)).ProblemAsync(HttpStatusCode.Conflict);
        await (await second.PostJsonAsync($"/api/changes/{proposed.Id}/reject", new RejectChangeRequest("too late"))).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(proposedPrices, (await VersionAsync(admin, alias, version)).Prices);
    }

    [Fact]
    public async Task BadProposals_AreAnsweredAtOnce_AndHoldNothing()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync(Admin);
        var (alias, version) = await NewModelAsync(admin);
        var head = await HeadAsync(admin);
        var pendingBefore = (await (await admin.Get("/api/changes?status=pending")).ReadAsync<PagedResult<ChangeDto>>()).Total;

        await (await admin.PutJsonAsync($"/api/models/{alias}/versions/{version}/prices", new UpdatePricesRequest(new PriceSpec(-1m, 0m, 1m, "USD"))))
            .ValidationErrorAsync("prices.inputPerMillion");
        await (await admin.PutJsonAsync($"/api/models/{alias}/versions/nope/prices", new UpdatePricesRequest(new PriceSpec(1m, 0m, 1m, "USD"))))
            .ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PutJsonAsync($"/api/models/{alias}/versions/{version}/prices", new UpdatePricesRequest(new PriceSpec(1m, 0m, 1m, "USD"), "stale-stamp")))
            .ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostJsonAsync("/api/models", NewModel(alias, version + "-again"))).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostJsonAsync("/api/providers", new CreateProviderRequest("bad id!", ProviderKind.OpenAI, "https://api.openai.com"))).ValidationErrorAsync("id");
        await (await admin.DeleteAsync(new Uri($"/api/providers/{DemoCatalog.OpenAIProvider}", UriKind.Relative), Api.Ct)).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(head, await HeadAsync(admin));
        Assert.Equal(pendingBefore, (await (await admin.Get("/api/changes?status=pending")).ReadAsync<PagedResult<ChangeDto>>()).Total);
        await (await admin.Get("/api/changes?status=maybe")).ValidationErrorAsync("status");
        await (await admin.Get("/api/changes/chg-none")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Approve(admin, "chg-none")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AProviderIsCreatedAndDeleted_OnlyThroughApprovals_AndARejectedOrWithdrawnChangeDoesNothing()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync(Admin);
        using var second = await SecondAdminAsync(admin);
        var id = "p-" + Guid.NewGuid().ToString("N")[..8];

        // Rejected: a reason is required, and the provider never exists.
        var rejected = await (await admin.PostJsonAsync("/api/providers", new CreateProviderRequest(id, ProviderKind.OpenAI, "https://api.openai.com", "env:OPENAI_API_KEY")))
            .ReadAsync<ChangeDto>(HttpStatusCode.Accepted);
        await (await second.PostJsonAsync($"/api/changes/{rejected.Id}/reject", new RejectChangeRequest(" "))).ValidationErrorAsync("reason");
        var decided = await (await second.PostJsonAsync($"/api/changes/{rejected.Id}/reject", new RejectChangeRequest("Use the bank's Azure tenant."))).ReadAsync<ChangeDto>();
        Assert.Equal((ChangeStatus.Rejected, "Use the bank's Azure tenant."), (decided.Status, decided.Reason));
        await (await Approve(second, rejected.Id)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Get($"/api/providers/{id}")).StatusCode);

        // Withdrawn: only by its proposer.
        var withdrawn = await (await admin.PostJsonAsync("/api/providers", new CreateProviderRequest(id, ProviderKind.OpenAI, "https://api.openai.com")))
            .ReadAsync<ChangeDto>(HttpStatusCode.Accepted);
        await (await Post(second, $"/api/changes/{withdrawn.Id}/withdraw")).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(ChangeStatus.Withdrawn, (await (await Post(admin, $"/api/changes/{withdrawn.Id}/withdraw")).ReadAsync<ChangeDto>()).Status);
        await (await Approve(second, withdrawn.Id)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Get($"/api/providers/{id}")).StatusCode);

        // Approved: created (the held call answered 201), then deleted by a held DELETE.
        var create = await (await admin.PostJsonAsync("/api/providers", new CreateProviderRequest(id, ProviderKind.OpenAI, "https://api.openai.com", "env:OPENAI_API_KEY")))
            .ReadAsync<ChangeDto>(HttpStatusCode.Accepted);
        var created = await (await Approve(second, create.Id)).ReadAsync<ChangeDto>();
        Assert.Equal((ChangeStatus.Applied, 201), (created.Status, created.Result?.StatusCode));
        Assert.Equal("https://api.openai.com", (await (await admin.Get($"/api/providers/{id}")).ReadAsync<ProviderDto>()).BaseUrl);

        var delete = await (await admin.DeleteAsync(new Uri($"/api/providers/{id}", UriKind.Relative), Api.Ct)).ReadAsync<ChangeDto>(HttpStatusCode.Accepted);
        Assert.Null(delete.Body);
        Assert.Equal("provider.delete", Assert.Single(delete.Effects).Action);
        Assert.Equal(HttpStatusCode.OK, (await admin.Get($"/api/providers/{id}")).StatusCode);
        var deleted = await (await Approve(second, delete.Id)).ReadAsync<ChangeDto>();
        Assert.Equal((ChangeStatus.Applied, 204), (deleted.Status, deleted.Result?.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Get($"/api/providers/{id}")).StatusCode);

        var trail = (await (await admin.Get($"/api/audit?targetId={rejected.Id}")).ReadAsync<PagedResult<AuditEventDto>>()).Items.Select(e => e.Action).Order();
        Assert.Equal(["change.propose", "change.reject"], trail);
    }

    [Fact]
    public async Task AChangeTheStateMovedUnder_FailsOnApproval_AndChangesNothing()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync(Admin);
        using var second = await SecondAdminAsync(admin);
        var (alias, version) = await NewModelAsync(admin);
        var read = await VersionAsync(admin, alias, version);

        // Two proposals made from the same read of the version; the first approved wins.
        var first = await (await admin.PutJsonAsync($"/api/models/{alias}/versions/{version}", new UpdateVersionRequest(VersionStatus.Deprecated, ContextWindow: 64_000, ConcurrencyStamp: read.ConcurrencyStamp)))
            .ReadAsync<ChangeDto>(HttpStatusCode.Accepted);
        var stale = await (await admin.PutJsonAsync($"/api/models/{alias}/versions/{version}", new UpdateVersionRequest(VersionStatus.Ga, ContextWindow: 8_000, ConcurrencyStamp: read.ConcurrencyStamp)))
            .ReadAsync<ChangeDto>(HttpStatusCode.Accepted);
        Assert.Equal(ChangeStatus.Applied, (await (await Approve(second, first.Id)).ReadAsync<ChangeDto>()).Status);
        var head = await HeadAsync(admin);

        var failed = await (await Approve(second, stale.Id)).ReadAsync<ChangeDto>();
        Assert.Equal((ChangeStatus.Failed, 409), (failed.Status, failed.Result?.StatusCode));
        Assert.Contains("changed since you read it", failed.Result?.Body, StringComparison.Ordinal);
        var now = await VersionAsync(admin, alias, version);
        Assert.Equal((VersionStatus.Deprecated, 64_000), (now.Status, now.ContextWindow));
        Assert.Equal(["change.fail"], (await AuditSinceAsync(admin, head)).Select(e => e.Action));
        await (await Approve(second, stale.Id)).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AChangeWhoseProposerLostTheRole_IsNotApplied()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync(Admin);
        var (alias, version) = await NewModelAsync(admin);
        var read = await VersionAsync(admin, alias, version);
        using var second = await SecondAdminAsync(admin);
        var proposed = await (await second.PutJsonAsync($"/api/models/{alias}/versions/{version}/prices", new UpdatePricesRequest(new PriceSpec(0.01m, 0m, 0.01m, "USD"), read.ConcurrencyStamp)))
            .ReadAsync<ChangeDto>(HttpStatusCode.Accepted);

        // The proposer leaves the platform team before anyone approves: a role change, held like
        // the rest (another admin exists), and approved by the one it concerns.
        var dev2 = (await (await admin.Get("/api/users?pageSize=100")).ReadAsync<PagedResult<UserDto>>()).Items.Single(u => u.Email == SecondAdmin);
        var removal = await (await admin.PutJsonAsync($"/api/users/{dev2.Id}/roles", new SetUserRolesRequest([GatewayRoles.Developer]))).ReadAsync<ChangeDto>(HttpStatusCode.Accepted);
        Assert.Equal("user.roles", Assert.Single(removal.Effects).Action);
        Assert.Contains(GatewayRoles.PlatformAdmin, await RolesOfAsync(admin, SecondAdmin));
        Assert.Equal(ChangeStatus.Applied, (await (await Approve(second, removal.Id)).ReadAsync<ChangeDto>()).Status);
        Assert.DoesNotContain(GatewayRoles.PlatformAdmin, await RolesOfAsync(admin, SecondAdmin));

        var failed = await (await Approve(admin, proposed.Id)).ReadAsync<ChangeDto>();
        Assert.Equal((ChangeStatus.Failed, 403), (failed.Status, failed.Result?.StatusCode));
        Assert.Contains("no longer holds the role", failed.Result?.Body, StringComparison.Ordinal);
        Assert.Equal(read.Prices, (await VersionAsync(admin, alias, version)).Prices);

        // Alone again, the admin grants a second admin at once (nobody else could approve it).
        using var again = await SecondAdminAsync(admin);
        Assert.Contains(GatewayRoles.PlatformAdmin, await RolesOfAsync(admin, SecondAdmin));
    }

    [Fact]
    public async Task RoleGrants_AreHeldToo_SoOneAdminCannotMakeAnAccomplice()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync(Admin);
        using var second = await SecondAdminAsync(admin);
        var users = (await (await admin.Get("/api/users?pageSize=100")).ReadAsync<PagedResult<UserDto>>()).Items;
        var approver = users.Single(u => u.Email == "approver@demo.bank");

        var grant = await (await admin.PutJsonAsync($"/api/users/{approver.Id}/roles", new SetUserRolesRequest([.. approver.Roles, GatewayRoles.PlatformAdmin])))
            .ReadAsync<ChangeDto>(HttpStatusCode.Accepted);
        Assert.DoesNotContain(GatewayRoles.PlatformAdmin, await RolesOfAsync(admin, "approver@demo.bank"));
        // Still refused at once: nobody grants themselves a role, held or not.
        var me = users.Single(u => u.Email == Admin);
        await (await admin.PutJsonAsync($"/api/users/{me.Id}/roles", new SetUserRolesRequest([GatewayRoles.PlatformAdmin, GatewayRoles.FinanceAnalyst]))).ProblemAsync(HttpStatusCode.Conflict);

        var rejected = await (await second.PostJsonAsync($"/api/changes/{grant.Id}/reject", new RejectChangeRequest("Not on the platform team."))).ReadAsync<ChangeDto>();
        Assert.Equal(ChangeStatus.Rejected, rejected.Status);
        Assert.Equal(approver.Roles, await RolesOfAsync(admin, "approver@demo.bank"));
    }

    [Fact]
    public async Task AProviderIsSuspendedAtOnce_ByOneAdmin_AndResumedOnlyThroughAnApproval()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync(Admin);
        using var second = await SecondAdminAsync(admin);
        var id = "p-" + Guid.NewGuid().ToString("N")[..8];
        var create = await (await admin.PostJsonAsync("/api/providers", new CreateProviderRequest(id, ProviderKind.OpenAI, "https://api.openai.com", "env:OPENAI_API_KEY")))
            .ReadAsync<ChangeDto>(HttpStatusCode.Accepted);
        await (await Approve(second, create.Id)).ReadAsync<ChangeDto>();

        // Cutting it off: one admin, at once, with a reason, audited, and published.
        await (await admin.PostJsonAsync($"/api/providers/{id}/suspend", new SuspendProviderRequest(" "))).ValidationErrorAsync("reason");
        var suspended = await (await admin.PostJsonAsync($"/api/providers/{id}/suspend", new SuspendProviderRequest("Provider breach notice INC-42."))).ReadAsync<ProviderDto>();
        Assert.Equal(("Provider breach notice INC-42.", Admin), (suspended.SuspendReason, suspended.SuspendedBy));
        Assert.NotNull(suspended.SuspendedAt);
        await SnapshotWatch.WaitForAsync(fixture, s => s.Providers.Any(p => p.Id == id && p.Suspended), "suspension-watcher");
        await (await admin.PostJsonAsync($"/api/providers/{id}/suspend", new SuspendProviderRequest("again"))).ProblemAsync(HttpStatusCode.Conflict);
        var audited = (await (await admin.Get($"/api/audit?action=provider.suspend&targetId={id}")).ReadAsync<PagedResult<AuditEventDto>>()).Items.Single();
        Assert.Contains("INC-42", audited.After, StringComparison.Ordinal);

        // Giving traffic back is a change like the others: held, then applied by the second admin.
        var resume = await (await Post(admin, $"/api/providers/{id}/resume")).ReadAsync<ChangeDto>(HttpStatusCode.Accepted);
        Assert.NotNull((await (await admin.Get($"/api/providers/{id}")).ReadAsync<ProviderDto>()).SuspendedAt);
        Assert.Equal(ChangeStatus.Applied, (await (await Approve(second, resume.Id)).ReadAsync<ChangeDto>()).Status);
        Assert.Null((await (await admin.Get($"/api/providers/{id}")).ReadAsync<ProviderDto>()).SuspendedAt);
        await SnapshotWatch.WaitForAsync(fixture, s => s.Providers.Any(p => p.Id == id && !p.Suspended), "resume-watcher");
        await (await Post(admin, $"/api/providers/{id}/resume")).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task PendingChanges_AreCounted_ForTheTeamToBeAlerted()
    {
        fixture.Require();
        using var collector = new MetricCollector<long>(fixture.App.Services.GetRequiredService<IMeterFactory>(), "Gateway.ControlPlane", "gateway.changes.pending");
        long Pending()
        {
            collector.RecordObservableInstruments();
            return collector.LastMeasurement?.Value ?? -1;
        }
        using var admin = await fixture.ClientAsAsync(Admin);
        var id = "p-" + Guid.NewGuid().ToString("N")[..8];
        await Eventually.HoldsAsync(() => Pending() >= 0, TimeSpan.FromSeconds(10), "a first count");
        var before = Pending();

        var proposed = await (await admin.PostJsonAsync("/api/providers", new CreateProviderRequest(id, ProviderKind.OpenAI, "https://api.openai.com")))
            .ReadAsync<ChangeDto>(HttpStatusCode.Accepted);
        await Eventually.HoldsAsync(() => Pending() == before + 1, TimeSpan.FromSeconds(10), "the proposal counted");
        await (await Post(admin, $"/api/changes/{proposed.Id}/withdraw")).ReadAsync<ChangeDto>();
        await Eventually.HoldsAsync(() => Pending() == before, TimeSpan.FromSeconds(10), "the withdrawal counted");
    }

    [Fact]
    public async Task TwoApprovalsAtOnce_ApplyTheChangeOnce()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync(Admin);
        using var second = await SecondAdminAsync(admin);
        using var again = await fixture.ClientAsAsync(SecondAdmin);
        var (alias, version) = await NewModelAsync(admin);
        var deployment = "d-" + Guid.NewGuid().ToString("N")[..8];
        var proposed = await (await admin.PostJsonAsync($"/api/models/{alias}/versions/{version}/deployments",
            new CreateDeploymentRequest(deployment, DemoCatalog.OpenAIProvider, "gpt-4o-2024-08-06"))).ReadAsync<ChangeDto>(HttpStatusCode.Accepted);
        var head = await HeadAsync(admin);

        var answers = await Task.WhenAll(Approve(second, proposed.Id), Approve(again, proposed.Id));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        Assert.Single((await VersionAsync(admin, alias, version)).Deployments, d => d.Id == deployment);
        Assert.Equal(["model.deployment.create", "change.approve"], (await AuditSinceAsync(admin, head)).Select(e => e.Action));
        Assert.Equal(ChangeStatus.Applied, (await (await admin.Get($"/api/changes/{proposed.Id}")).ReadAsync<ChangeDto>()).Status);
    }

    /// <summary>A model of the test's own, created through the four eyes it tests.</summary>
    private async Task<(string Alias, string Version)> NewModelAsync(HttpClient admin)
    {
        var alias = "cc-" + Guid.NewGuid().ToString("N")[..8];
        var version = alias + "-v1";
        var proposed = await (await admin.PostJsonAsync("/api/models", NewModel(alias, version))).ReadAsync<ChangeDto>(HttpStatusCode.Accepted);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Get($"/api/models/{alias}")).StatusCode);
        using var second = await SecondAdminAsync(admin);
        Assert.Equal(ChangeStatus.Applied, (await (await Approve(second, proposed.Id)).ReadAsync<ChangeDto>()).Status);
        return (alias, version);
    }

    private static CreateModelRequest NewModel(string alias, string version) => new(alias, ModelKind.Chat,
        new CreateVersionRequest(version, VersionStatus.Ga, new PriceSpec(2.5m, 1.25m, 10m, "USD"),
            Deployments: [new CreateDeploymentRequest(version + "-d", DemoCatalog.OpenAIProvider, "gpt-4o-2024-08-06")]));

    /// <summary>A second platform admin: granted by the first (never by oneself), signed in afresh.</summary>
    private async Task<HttpClient> SecondAdminAsync(HttpClient admin)
    {
        var users = (await (await admin.Get("/api/users?pageSize=100")).ReadAsync<PagedResult<UserDto>>()).Items;
        var dev2 = users.Single(u => u.Email == SecondAdmin);
        // The first admin is the only one: the grant applies at once (held, nobody could approve it).
        if (!dev2.Roles.Contains(GatewayRoles.PlatformAdmin))
            await (await admin.PutJsonAsync($"/api/users/{dev2.Id}/roles", new SetUserRolesRequest([GatewayRoles.Developer, GatewayRoles.PlatformAdmin]))).ReadAsync<UserDto>();
        return await fixture.ClientAsAsync(SecondAdmin);
    }

    private static async Task<IReadOnlyList<string>> RolesOfAsync(HttpClient admin, string email) =>
        (await (await admin.Get("/api/users?pageSize=100")).ReadAsync<PagedResult<UserDto>>()).Items.Single(u => u.Email == email).Roles;

    private static async Task<ModelVersionDto> VersionAsync(HttpClient client, string alias, string version) =>
        (await (await client.Get($"/api/models/{alias}")).ReadAsync<ModelDto>()).Versions.Single(v => v.Name == version);

    private static async Task<long> HeadAsync(HttpClient admin) => (await (await admin.Get("/api/audit/head")).ReadAsync<AuditHeadDto>()).Sequence;

    private static async Task<List<AuditEventDto>> AuditSinceAsync(HttpClient admin, long sequence) =>
        [.. (await (await admin.Get("/api/audit?pageSize=100&sort=sequence&order=desc")).ReadAsync<PagedResult<AuditEventDto>>()).Items
            .Where(e => e.Sequence > sequence).OrderBy(e => e.Sequence)];

    private static Task<HttpResponseMessage> Approve(HttpClient client, string id) => Post(client, $"/api/changes/{id}/approve");

    private static Task<HttpResponseMessage> Post(HttpClient client, string path) => client.PostAsync(new Uri(path, UriKind.Relative), null, Api.Ct);
}

public sealed class ChangeControlSqliteFixture() : ConfiguredSqliteFixture(new KeyValuePair<string, string?>("ControlPlane:ChangeControl:RequireSecondAdmin", "true"));

public sealed class ChangeControlPostgresFixture() : ConfiguredPostgresFixture(new KeyValuePair<string, string?>("ControlPlane:ChangeControl:RequireSecondAdmin", "true"));

[CollectionDefinition(Name)]
public sealed class ChangeControlSqliteCollection : ICollectionFixture<ChangeControlSqliteFixture>
{
    public const string Name = "ControlPlane on SQLite, with change control";
}

[CollectionDefinition(Name)]
public sealed class ChangeControlPostgresCollection : ICollectionFixture<ChangeControlPostgresFixture>
{
    public const string Name = "ControlPlane on PostgreSQL, with change control";
}

[Collection(ChangeControlSqliteCollection.Name)]
public sealed class ChangeControlTests_Sqlite(ChangeControlSqliteFixture fixture) : ChangeControlTests(fixture);

[Collection(ChangeControlPostgresCollection.Name)]
public sealed class ChangeControlTests_Postgres(ChangeControlPostgresFixture fixture) : ChangeControlTests(fixture);
