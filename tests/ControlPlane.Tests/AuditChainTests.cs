using System.Globalization;
using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
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

    [Fact]
    public async Task TheHead_IsSignedWithTheSnapshotKey_MovesWithTheChain_AndAnAlteredHeadDoesNotVerify()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        using var key = await PublicKeyAsync();
        var before = await (await admin.Get("/api/audit/head")).ReadAsync<AuditHeadDto>();
        Assert.True(AuditHeadSigning.Verify(key, before), "the head's signature does not verify with /snapshot/public-key");
        Assert.Equal(Contracts.Snapshot.SnapshotSigning.KeyIdOf(key), before.SigningKeyId);

        await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest("team-" + Guid.NewGuid().ToString("N")[..8], "Head", "CC-H"))).ReadAsync<TeamDto>(HttpStatusCode.Created);
        var after = await (await admin.Get("/api/audit/head")).ReadAsync<AuditHeadDto>();
        Assert.Equal(before.Sequence + 1, after.Sequence);
        var last = (await (await admin.Get("/api/audit?sort=sequence&order=desc&pageSize=1")).ReadAsync<PagedResult<AuditEventDto>>()).Items.Single();
        Assert.Equal((last.Sequence, last.Hash), (after.Sequence, after.Hash));
        Assert.True(AuditHeadSigning.Verify(key, after));

        Assert.False(AuditHeadSigning.Verify(key, after with { Hash = before.Hash }));
        Assert.False(AuditHeadSigning.Verify(key, after with { Sequence = after.Sequence + 1 }));
        Assert.False(AuditHeadSigning.Verify(key, after with { SignedAt = after.SignedAt.AddSeconds(1) }));
        Assert.False(AuditHeadSigning.Verify(key, after with { Signature = before.Signature }));
        Assert.False(AuditHeadSigning.Verify(key, after with { Signature = "not base64!" }));
        // Both heads still hold: the chain passes through each of them.
        foreach (var head in new[] { before, after })
            Assert.True((await (await admin.Get($"/api/audit/verify?sequence={head.Sequence}&hash={head.Hash}")).ReadAsync<AuditVerificationDto>()).Valid);
    }

    [Fact]
    public async Task AChainRewrittenConsistently_PassesTheWalk_ButNotTheHeadKeptElsewhere()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var id = "team-" + Guid.NewGuid().ToString("N")[..8];
        await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest(id, "Rewrite", "CC-RW"))).ReadAsync<TeamDto>(HttpStatusCode.Created);
        var attested = await (await admin.Get("/api/audit/head")).ReadAsync<AuditHeadDto>();
        var target = (await (await admin.Get($"/api/audit?targetId={id}")).ReadAsync<PagedResult<AuditEventDto>>()).Items.Single();

        // Someone with the database edits the event and rehashes everything after it, head included.
        var original = await fixture.DbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.Sequence >= target.Sequence).OrderBy(e => e.Sequence).ToListAsync(Api.Ct));
        var head = await fixture.DbAsync(db => db.SystemCounters.AsNoTracking().SingleAsync(c => c.Name == Data.SystemCounter.Audit, Api.Ct));
        await RewriteAsync(original, e => e.Sequence == target.Sequence ? e.After!.Replace("CC-RW", "CC-XX", StringComparison.Ordinal) : e.After);
        try
        {
            Assert.True((await (await admin.Get("/api/audit/verify")).ReadAsync<AuditVerificationDto>()).Valid, "the rewrite should hash consistently");
            var found = await (await admin.Get($"/api/audit/verify?sequence={attested.Sequence}&hash={attested.Hash}")).ReadAsync<AuditVerificationDto>();
            Assert.False(found.Valid);
            Assert.Equal(attested.Sequence, found.FirstBrokenSequence);
            Assert.Contains("rewritten", found.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await RestoreAsync(original, head);
        }
        Assert.True((await (await admin.Get($"/api/audit/verify?sequence={attested.Sequence}&hash={attested.Hash}")).ReadAsync<AuditVerificationDto>()).Valid);
    }

    [Fact]
    public async Task AChainCutBack_PassesTheWalk_ButNotTheHeadKeptElsewhere()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest("team-" + Guid.NewGuid().ToString("N")[..8], "Cut", "CC-CUT"))).ReadAsync<TeamDto>(HttpStatusCode.Created);
        var attested = await (await admin.Get("/api/audit/head")).ReadAsync<AuditHeadDto>();

        // Someone deletes the last event and winds the head back to the one before it.
        var last = await fixture.DbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Sequence == attested.Sequence, Api.Ct));
        var head = await fixture.DbAsync(db => db.SystemCounters.AsNoTracking().SingleAsync(c => c.Name == Data.SystemCounter.Audit, Api.Ct));
        await fixture.DbAsync(async db =>
        {
            await db.AuditEvents.Where(e => e.Sequence == last.Sequence).ExecuteDeleteAsync(Api.Ct);
            return await db.SystemCounters.Where(c => c.Name == Data.SystemCounter.Audit)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, last.Sequence - 1).SetProperty(c => c.Text, last.PreviousHash), Api.Ct);
        });
        try
        {
            Assert.True((await (await admin.Get("/api/audit/verify")).ReadAsync<AuditVerificationDto>()).Valid, "the cut should leave a consistent chain");
            var found = await (await admin.Get($"/api/audit/verify?sequence={attested.Sequence}&hash={attested.Hash}")).ReadAsync<AuditVerificationDto>();
            Assert.False(found.Valid);
            Assert.Equal(attested.Sequence, found.FirstBrokenSequence);
            Assert.Contains("cut back", found.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await RestoreAsync([last], head);
        }
        Assert.True((await (await admin.Get($"/api/audit/verify?sequence={attested.Sequence}&hash={attested.Hash}")).ReadAsync<AuditVerificationDto>()).Valid);
    }

    [Theory]
    [InlineData("sequence=5", "hash")]
    [InlineData("hash=0000000000000000000000000000000000000000000000000000000000000000", "sequence")]
    [InlineData("sequence=5&hash=ABC", "hash")]
    [InlineData("sequence=-1&hash=0000000000000000000000000000000000000000000000000000000000000000", "sequence")]
    public async Task AHeadGivenByHalves_OrMalformed_IsA400NamingIt(string query, string field)
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        await (await admin.Get("/api/audit/verify?" + query)).ValidationErrorAsync(field);
    }

    [Fact]
    public async Task TheSignedHead_IsWrittenToTheLog_WhenItMoved()
    {
        fixture.Require();
        var services = fixture.App.Services;
        var logs = new FakeLogCollector();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Options.Create(new Gateway.ControlPlane.Infrastructure.ControlPlaneOptions { AuditHeadLogMinutes = 5 });
        using var log = new Features.Audit.AuditHeadLog(services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<Features.Snapshots.SnapshotSigner>(),
            time, options, new FakeLogger<Features.Audit.AuditHeadLog>(logs));
        await log.StartAsync(Api.Ct);
        await Eventually.HoldsAsync(() => logs.Count == 1, TimeSpan.FromSeconds(10), "the head is logged at start");
        time.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(200, Api.Ct);
        Assert.Equal(1, logs.Count); // it has not moved: not logged again

        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest("team-" + Guid.NewGuid().ToString("N")[..8], "Logged", "CC-L"))).ReadAsync<TeamDto>(HttpStatusCode.Created);
        time.Advance(TimeSpan.FromMinutes(5));
        await Eventually.HoldsAsync(() => logs.Count == 2, TimeSpan.FromSeconds(10), "the moved head is logged at the next tick");
        await log.StopAsync(Api.Ct);

        // What the log says is a head that verifies and that the chain holds.
        var record = logs.LatestRecord;
        Assert.Equal(500, record.Id.Id);
        var state = record.StructuredState!.ToDictionary(p => p.Key, p => p.Value);
        var head = new AuditHeadDto(long.Parse(state["Sequence"]!, CultureInfo.InvariantCulture), state["Hash"]!,
            DateTimeOffset.Parse(state["SignedAt"]!, CultureInfo.InvariantCulture), state["SigningKeyId"]!, state["Signature"]!);
        using var key = await PublicKeyAsync();
        Assert.True(AuditHeadSigning.Verify(key, head), "the logged head does not verify: " + record.Message);
        Assert.True((await (await admin.Get($"/api/audit/verify?sequence={head.Sequence}&hash={head.Hash}")).ReadAsync<AuditVerificationDto>()).Valid);
    }

    private async Task<System.Security.Cryptography.ECDsa> PublicKeyAsync()
    {
        using var anonymous = fixture.Client();
        var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(await anonymous.GetStringAsync(new Uri("/snapshot/public-key", UriKind.Relative), Api.Ct));
        return key;
    }

    /// <summary>Rewrites the events (in order) with new content, rehashing each and the head, as a database administrator could.</summary>
    private Task RewriteAsync(List<Features.Audit.AuditEvent> events, Func<Features.Audit.AuditEvent, string?> after) => fixture.DbAsync(async db =>
    {
        var previous = events[0].PreviousHash;
        foreach (var original in events)
        {
            var e = await db.AuditEvents.SingleAsync(x => x.Sequence == original.Sequence, Api.Ct);
            e.After = after(original);
            e.PreviousHash = previous;
            e.Hash = Features.Audit.AuditChain.ComputeHash(e);
            previous = e.Hash;
        }
        await db.SaveChangesAsync(Api.Ct);
        return await db.SystemCounters.Where(c => c.Name == Data.SystemCounter.Audit).ExecuteUpdateAsync(s => s.SetProperty(c => c.Text, previous), Api.Ct);
    });

    /// <summary>Puts the events and the head back as they were.</summary>
    private Task RestoreAsync(List<Features.Audit.AuditEvent> events, Data.SystemCounter head) => fixture.DbAsync(async db =>
    {
        foreach (var original in events)
        {
            var e = await db.AuditEvents.SingleOrDefaultAsync(x => x.Sequence == original.Sequence, Api.Ct);
            if (e is null)
            {
                db.AuditEvents.Add(original);
                continue;
            }
            e.After = original.After;
            e.PreviousHash = original.PreviousHash;
            e.Hash = original.Hash;
        }
        await db.SaveChangesAsync(Api.Ct);
        return await db.SystemCounters.Where(c => c.Name == Data.SystemCounter.Audit)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, head.Value).SetProperty(c => c.Text, head.Text), Api.Ct);
    });
}

[Collection(SqliteCollection.Name)]
public sealed class AuditChainTests_Sqlite(SqliteFixture fixture) : AuditChainTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class AuditChainTests_Postgres(PostgresFixture fixture) : AuditChainTests(fixture);
