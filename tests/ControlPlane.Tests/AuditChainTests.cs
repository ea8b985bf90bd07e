using System.Net;
using Gateway.Contracts.Admin;
using Gateway.ControlPlane.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Tests;

/// <summary>The audit log: every change is an event chained by hashes; an edited row is found.</summary>
public abstract class AuditChainTests(ControlPlaneFixture fixture)
{
    [Fact]
    public async Task Changes_AreAudited_WithBeforeAndAfter_AndTheChainVerifies()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var id = "team-" + Guid.NewGuid().ToString("N")[..8];
        await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest(id, "Before", "CC-A"))).ReadAsync<TeamDto>(HttpStatusCode.Created);
        await (await admin.PutJsonAsync($"/api/teams/{id}", new UpdateTeamRequest("After", "CC-B"))).ReadAsync<TeamDto>();

        var events = await (await admin.Get($"/api/audit?targetType=team&targetId={id}&sort=sequence&order=asc")).ReadAsync<PagedResult<AuditEventDto>>();
        Assert.Equal(["team.create", "team.update"], events.Items.Select(e => e.Action));
        var update = events.Items[1];
        Assert.Contains("\"Before\"", update.Before, StringComparison.Ordinal);
        Assert.Contains("\"After\"", update.After, StringComparison.Ordinal);
        Assert.Equal(events.Items[0].Sequence + 1, update.Sequence);
        Assert.Equal(events.Items[0].Hash, update.PreviousHash);
        Assert.Equal("admin@demo.bank", update.ActorName);

        var verification = await (await admin.Get("/api/audit/verify")).ReadAsync<AuditVerificationDto>();
        Assert.True(verification.Valid, verification.Reason);
        Assert.True(verification.EventsChecked >= 2);

        var export = await (await admin.Get($"/api/audit/export?targetId={id}&format=csv")).Content.ReadAsStringAsync(Api.Ct);
        Assert.Equal(3, export.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Verify_FindsTheFirstEditedEvent()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var id = "team-" + Guid.NewGuid().ToString("N")[..8];
        var team = await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest(id, "Tamper", "CC-T"))).ReadAsync<TeamDto>(HttpStatusCode.Created);
        var target = (await (await admin.Get($"/api/audit?targetId={id}")).ReadAsync<PagedResult<AuditEventDto>>()).Items.Single();

        var original = target.After!;
        await fixture.DbAsync(db => db.AuditEvents.Where(e => e.Sequence == target.Sequence)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.After, original.Replace("CC-T", "CC-X", StringComparison.Ordinal)), Api.Ct));
        try
        {
            var broken = await (await admin.Get("/api/audit/verify")).ReadAsync<AuditVerificationDto>();
            Assert.False(broken.Valid);
            Assert.Equal(target.Sequence, broken.FirstBrokenSequence);
            Assert.Contains("edited", broken.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.DbAsync(db => db.AuditEvents.Where(e => e.Sequence == target.Sequence).ExecuteUpdateAsync(s => s.SetProperty(e => e.After, original), Api.Ct));
        }
        Assert.True((await (await admin.Get("/api/audit/verify")).ReadAsync<AuditVerificationDto>()).Valid);
        Assert.NotNull(team);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class AuditChainTests_Sqlite(SqliteFixture fixture) : AuditChainTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class AuditChainTests_Postgres(PostgresFixture fixture) : AuditChainTests(fixture);
