using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Demo;
using Gateway.Contracts.Usage;
using Gateway.ControlPlane.Features.Usage;
using Gateway.ControlPlane.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.ControlPlane.Tests.Infrastructure.UsageShipping;

namespace Gateway.ControlPlane.Tests;

/// <summary>Usage ingestion (idempotent, acknowledged after commit), rollups, settled usage in the snapshot, statements.</summary>
public abstract class UsageAndChargebackTests(ControlPlaneFixture fixture)
{
    private async Task<(string Team, string CostCentre)> NewTeamAsync()
    {
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var id = "team-" + Guid.NewGuid().ToString("N")[..8];
        var cc = "CC-" + id[5..];
        await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest(id, "Usage " + id, cc))).ReadAsync<TeamDto>(HttpStatusCode.Created);
        return (id, cc);
    }

    [Fact]
    public async Task Ship_RecordsThatWouldBreakTheLedger_AreQuarantined_AndTheBatchStillCommits()
    {
        // Each of these once made the whole batch fail, for ever (the proxy ships an unacknowledged batch again):
        // PostgreSQL refuses a NUL in text, and the hourly rollup's checked sum of two counts of long.MaxValue overflowed.
        fixture.Require();
        var (team, _) = await NewTeamAsync();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        var nul = Record(team, at, 0.5m) with { ModelAlias = "gpt-4o\0" };
        var huge = Record(team, at, 0.5m, input: long.MaxValue);
        var atTheLimit = Record(team, at, 0.5m, input: 1L << 40, output: 1L << 40);
        var batch = Batch(Record(team, at, 0.25m), nul, huge, huge with { RequestId = huge.RequestId + "-2" }, atTheLimit, atTheLimit with { RequestId = atTheLimit.RequestId + "-2" });
        batch.NodeId = "node\0with a nul";

        var acks = await ShipAsync(fixture, batch, batch);

        Assert.Equal((3, 0, 3), (acks[0].Inserted, acks[0].Duplicates, acks[0].Rejected));
        Assert.Equal((0, 3, 3), (acks[1].Inserted, acks[1].Duplicates, acks[1].Rejected));
        var quarantined = await fixture.DbAsync(db => db.UsageQuarantine.AsNoTracking().Where(q => q.BatchId == batch.BatchId).ToListAsync(Api.Ct));
        Assert.Contains(quarantined, q => q.Reason.Contains("control characters", StringComparison.Ordinal));
        Assert.Contains(quarantined, q => q.Reason.Contains("2^40", StringComparison.Ordinal));
        Assert.All(quarantined, q => Assert.Equal("node?with a nul", q.NodeId));
        var rollups = await fixture.DbAsync(db => db.UsageHourly.AsNoTracking().Where(h => h.TeamId == team).ToListAsync(Api.Ct));
        Assert.Equal(3, rollups.Sum(h => h.Requests));
        Assert.Equal(100 + (2L << 40), rollups.Sum(h => h.InputTokens));
    }

    [Fact]
    public async Task Ship_ABatchTheDatabaseRefusesWhole_IsTakenRecordByRecord_AndOnlyWhatItCannotHoldIsQuarantined()
    {
        // On SQLite an hour's rollup holds at most 9,223,372 (pico-unit integers): two costs of 5,000,000 in one
        // hour made the whole batch fail, for ever. PostgreSQL's decimals hold them.
        fixture.Require();
        var (team, _) = await NewTeamAsync();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        var batch = Batch(Record(team, at, 0.25m), Record(team, at, 5_000_000m), Record(team, at, 5_000_000m));

        var acks = await ShipAsync(fixture, batch, Batch(Record(team, at.AddHours(-2), 0.5m)));

        var sqlite = fixture.Provider == Data.DatabaseProvider.Sqlite;
        Assert.Equal(sqlite ? (2, 0, 1) : (3, 0, 0), (acks[0].Inserted, acks[0].Duplicates, acks[0].Rejected));
        Assert.Equal((1, 0, 0), (acks[1].Inserted, acks[1].Duplicates, acks[1].Rejected)); // the next batch is not held back
        var quarantined = await fixture.DbAsync(db => db.UsageQuarantine.AsNoTracking().Where(q => q.BatchId == batch.BatchId).ToListAsync(Api.Ct));
        Assert.Equal(sqlite ? 1 : 0, quarantined.Count);
        Assert.All(quarantined, q => Assert.StartsWith("the database could not store it", q.Reason, StringComparison.Ordinal));
        var ledger = await fixture.DbAsync(db => db.UsageEntries.AsNoTracking().Where(u => u.TeamId == team).ToListAsync(Api.Ct));
        Assert.Equal(sqlite ? 5_000_000.75m : 10_000_000.75m, ledger.Sum(u => u.Cost));
    }

    [Fact]
    public async Task AMonthPastWhatSqliteSumsHold_StillReachesTheSnapshot_TheSummaryAndTheStatement()
    {
        // On SQLite, SUM over pico-unit integers failed past 9,223,372: the summary and the statements answered 500,
        // and the month's usage per subscription stopped every snapshot from being compiled (a revocation included).
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        using var dev = await fixture.ClientAsAsync("dev@demo.bank");
        using var approver = await fixture.ClientAsAsync("approver@demo.bank");
        using var finance = await fixture.ClientAsAsync("finance@demo.bank");
        var (team, cc) = await NewTeamAsync();
        await (await admin.PutJsonAsync($"/api/teams/{team}/members", new AddTeamMemberRequest("dev@demo.bank"))).ReadAsync<TeamMemberDto>();
        var request = await (await dev.PostJsonAsync("/api/access-requests", new CreateAccessRequest(team, "gpt-4o-mini", "A big month")))
            .ReadAsync<AccessRequestDto>(HttpStatusCode.Created);
        var sub = (await (await approver.PostJsonAsync($"/api/access-requests/{request.Id}/approve", new ApproveAccessRequest()))
            .ReadAsync<AccessRequestDto>()).ResultSubscriptionId!;
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        var monthStart = new DateTimeOffset(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var other = at.AddHours(-1) >= monthStart ? at.AddHours(-1) : at.AddHours(1); // another hour of the same month

        var acks = await ShipAsync(fixture, Batch(Record(team, at, 5_000_000m, subscriptionId: sub), Record(team, other, 5_000_000m, subscriptionId: sub)));
        var change = "team-" + Guid.NewGuid().ToString("N")[..8];
        await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest(change, "After a big month", "CC-" + change[5..]))).ReadAsync<TeamDto>(HttpStatusCode.Created);

        Assert.Equal((2, 0, 0), (acks[0].Inserted, acks[0].Duplicates, acks[0].Rejected));
        var hub = fixture.App.Services.GetRequiredService<Features.Snapshots.SnapshotHub>();
        await Gateway.Testing.Eventually.HoldsAsync(() => hub.Current?.Snapshot.Teams.Any(t => t.Id == change) == true, TimeSpan.FromSeconds(30), "the change after the big month is compiled into a snapshot");
        Assert.Equal(10_000_000m, hub.Current!.Snapshot.Subscriptions.Single(x => x.Id == sub).Usage?.Amount);
        Assert.Equal(10_000_000m, (await (await dev.Get($"/api/subscriptions/{sub}")).ReadAsync<SubscriptionDto>()).Usage?.Amount);
        var summary = await (await finance.Get($"/api/usage/summary?groupBy=team&teamId={team}")).ReadAsync<PagedResult<UsageSummaryRow>>();
        Assert.Equal(10_000_000m, Assert.Single(summary.Items).Cost);
        var byDay = await (await finance.Get($"/api/usage/summary?groupBy=month&teamId={team}")).ReadAsync<PagedResult<UsageSummaryRow>>();
        Assert.Equal(10_000_000m, Assert.Single(byDay.Items).Cost);
        var statement = await (await finance.Get($"/api/statements/{at:yyyy-MM}")).ReadAsync<StatementDto>();
        Assert.Equal(10_000_000m, statement.CostCentres.Single(c => c.CostCentre == cc).UsageCost);
        Assert.Equal(HttpStatusCode.OK, (await finance.Get("/api/statements")).StatusCode);
    }

    [Fact]
    public async Task Ship_ReplayedBatch_IsANoOp_AndMalformedRecordsAreQuarantined()
    {
        fixture.Require();
        var (team, _) = await NewTeamAsync();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        var bad = Record(team, at, 1m) with { Currency = "dollars" };
        var tooFine = Record(team, at, 0.0000000000001m); // 13 decimals: finer than the ledger keeps
        var batch = Batch(Record(team, at, 0.25m), Record(team, at, 0.75m), bad, tooFine);

        var acks = await ShipAsync(fixture, batch, batch);

        Assert.Equal(batch.BatchId, acks[0].BatchId);
        Assert.Equal((2, 0, 2), (acks[0].Inserted, acks[0].Duplicates, acks[0].Rejected));
        Assert.Equal((0, 2, 2), (acks[1].Inserted, acks[1].Duplicates, acks[1].Rejected));
        var ledger = await fixture.DbAsync(db => db.UsageEntries.AsNoTracking().Where(u => u.TeamId == team).ToListAsync(Api.Ct));
        Assert.Equal(2, ledger.Count);
        Assert.Equal(1.00m, ledger.Sum(u => u.Cost));
        var rollups = await fixture.DbAsync(db => db.UsageHourly.AsNoTracking().Where(h => h.TeamId == team).ToListAsync(Api.Ct));
        Assert.Equal(2, rollups.Sum(h => h.Requests));
        Assert.Equal(1.00m, rollups.Sum(h => h.Cost));
        var quarantined = await fixture.DbAsync(db => db.UsageQuarantine.AsNoTracking().Where(q => q.BatchId == batch.BatchId).ToListAsync(Api.Ct));
        Assert.Contains(quarantined, q => q.Reason.Contains("currency", StringComparison.Ordinal));
        Assert.Contains(quarantined, q => q.Reason.Contains("12 decimals", StringComparison.Ordinal));

        using var finance = await fixture.ClientAsAsync("finance@demo.bank");
        var summary = await (await finance.Get($"/api/usage/summary?groupBy=team&teamId={team}")).ReadAsync<PagedResult<UsageSummaryRow>>();
        var row = Assert.Single(summary.Items);
        Assert.Equal((team, 2L, 300L, 1.00m), (row.Key, row.Requests, row.TotalTokens, row.Cost));
    }

    [Fact]
    public async Task Ship_ARequestIdReusedByAnotherRequest_IsChargedUnderADerivedId_AndReplaysStayNoOps()
    {
        fixture.Require();
        var (team, _) = await NewTeamAsync();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        var first = Record(team, at, 0.25m);
        var id = first.RequestId;
        // The same caller id: a second request a millisecond later, and one on another node at the same microsecond.
        var later = first with { Timestamp = at.AddMilliseconds(1), Cost = 0.50m };
        var elsewhere = first with { ProxyNode = "test-proxy-2", Cost = 1.00m };
        // A caller's id that is exactly the id the second request would derive, sent earlier by another request.
        var squatter = Record(team, at.AddSeconds(-1), 2.00m) with { RequestId = UsageLedger.DerivedId(UsageRecordIdentity.Of(later), 0) };

        var acks = await ShipAsync(fixture, Batch(squatter), Batch(first, later), Batch(first, later, elsewhere), Batch(squatter, first, later, elsewhere));

        Assert.Equal((1, 0, 0), (acks[0].Inserted, acks[0].Duplicates, acks[0].Rejected));
        Assert.Equal((2, 0, 0), (acks[1].Inserted, acks[1].Duplicates, acks[1].Rejected));
        Assert.Equal((1, 2, 0), (acks[2].Inserted, acks[2].Duplicates, acks[2].Rejected));
        Assert.Equal((0, 4, 0), (acks[3].Inserted, acks[3].Duplicates, acks[3].Rejected));
        var ledger = await fixture.DbAsync(db => db.UsageEntries.AsNoTracking().Where(u => u.TeamId == team).ToListAsync(Api.Ct));
        Assert.Equal(4, ledger.Count);
        Assert.Equal(3.75m, ledger.Sum(u => u.Cost));
        Assert.Equal(0.25m, ledger.Single(u => u.RequestId == id).Cost);
        Assert.Equal(2.00m, ledger.Single(u => u.RequestId == squatter.RequestId).Cost);
        // The squatter holds the second request's first derived id, so it went one round further.
        Assert.Equal(0.50m, ledger.Single(u => u.RequestId == UsageLedger.DerivedId(UsageRecordIdentity.Of(later), 1)).Cost);
        Assert.Equal(1.00m, ledger.Single(u => u.RequestId == UsageLedger.DerivedId(UsageRecordIdentity.Of(elsewhere), 0)).Cost);
        Assert.All(ledger.Where(u => u.RequestId != id && u.RequestId != squatter.RequestId), u => Assert.Matches("^" + id + "~[0-9a-f]{16}$", u.RequestId));
        var rollups = await fixture.DbAsync(db => db.UsageHourly.AsNoTracking().Where(h => h.TeamId == team).ToListAsync(Api.Ct));
        Assert.Equal((4, 3.75m), (rollups.Sum(h => h.Requests), rollups.Sum(h => h.Cost)));
    }

    [Fact]
    public void DerivedId_FitsTheLedgersColumn_AndDependsOnTheWholeIdentity()
    {
        var at = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        var longId = new string('x', 128);
        var identity = new UsageRecordIdentity(longId, "node-a", "key-1", UsageRecordIdentity.Microseconds(at));
        var derived = UsageLedger.DerivedId(identity, 0);
        Assert.Equal(128, derived.Length);
        Assert.StartsWith(new string('x', 111) + "~", derived, StringComparison.Ordinal);
        Assert.Equal(derived, UsageLedger.DerivedId(identity, 0));
        string[] others =
        [
            UsageLedger.DerivedId(identity with { RequestId = longId[..127] + "y" }, 0),
            UsageLedger.DerivedId(identity with { ProxyNode = "node-b" }, 0),
            UsageLedger.DerivedId(identity with { KeyId = "key-2" }, 0),
            UsageLedger.DerivedId(identity with { ArrivalMicroseconds = identity.ArrivalMicroseconds + 1 }, 0),
            UsageLedger.DerivedId(identity, 1),
        ];
        Assert.Equal(others.Length + 1, others.Append(derived).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task SettledUsage_FlowsIntoTheNextSnapshot()
    {
        fixture.Require();
        var subscription = DemoCatalog.SubscriptionId("gpt-4o-mini");
        using var dev = await fixture.ClientAsAsync("dev@demo.bank");
        var before = (await (await dev.Get($"/api/subscriptions/{subscription}")).ReadAsync<SubscriptionDto>()).Usage?.Tokens ?? 0;

        await ShipAsync(fixture, Batch(Record(DemoCatalog.TeamId, DateTimeOffset.UtcNow, 0.5m, 1000, 234, subscription, "gpt-4o-mini-2024-07-18")));

        var snapshot = await SnapshotWatch.WaitForAsync(fixture, s => s.Subscriptions.Single(x => x.Id == subscription).Usage?.Tokens >= before + 1234);
        var usage = snapshot.Subscriptions.Single(x => x.Id == subscription).Usage!;
        Assert.Equal(DateTimeOffset.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), usage.Period);
        Assert.Equal(before + 1234, usage.Tokens);
    }

    [Fact]
    public async Task Statements_SumToTheLedgerExactly_AndAClosedMonthNeverChanges()
    {
        fixture.Require();
        var (team, cc) = await NewTeamAsync();
        var march = new DateTimeOffset(2025, 3, 14, 10, 0, 0, TimeSpan.Zero);
        var april = new DateTimeOffset(2025, 4, 2, 10, 0, 0, TimeSpan.Zero);
        await ShipAsync(fixture, Batch(Record(team, march, 0.000000075m), Record(team, march.AddDays(3), 1.5m), Record(team, march.AddDays(10), 2.333333333333m), Record(team, april, 7m)));
        using var finance = await fixture.ClientAsAsync("finance@demo.bank");

        var open = await (await finance.Get("/api/statements/2025-03")).ReadAsync<StatementDto>();
        var line = open.CostCentres.Single(c => c.CostCentre == cc);
        Assert.Equal(3.833333408333m, line.UsageCost);
        Assert.Equal(3, line.Requests);
        var ledger = await fixture.DbAsync(db => db.UsageEntries.Where(u => u.CostCentre == cc && u.BillingPeriod == "2025-03").SumAsync(u => u.Cost, Api.Ct));
        Assert.Equal(ledger, line.UsageCost);

        var closed = await (await finance.PostJsonAsync("/api/statements/2025-03/close", new { })).ReadAsync<StatementDto>();
        Assert.True(closed.Closed);
        await (await finance.PostJsonAsync("/api/statements/2025-03/close", new { })).ProblemAsync(HttpStatusCode.Conflict);
        await (await finance.PostJsonAsync($"/api/statements/{DateTimeOffset.UtcNow:yyyy-MM}/close", new { })).ProblemAsync(HttpStatusCode.Conflict);

        // A late record of the closed month is charged to the next open month; March stays as closed.
        await ShipAsync(fixture, Batch(Record(team, march.AddDays(15), 0.1m)));
        var after = await (await finance.Get("/api/statements/2025-03")).ReadAsync<StatementDto>();
        Assert.Equal(3.833333408333m, after.CostCentres.Single(c => c.CostCentre == cc).UsageCost);

        await (await finance.PostJsonAsync("/api/statements/2025-03/adjustments", new CreateAdjustmentRequest(cc, -0.5m, "USD", "Credit for an outage")))
            .ProblemAsync(HttpStatusCode.Conflict);
        await (await finance.PostJsonAsync("/api/statements/2025-04/adjustments", new CreateAdjustmentRequest(cc, -0.5m, "USD", "Credit for an outage", "2025-03")))
            .ReadAsync<AdjustmentDto>(HttpStatusCode.Created);
        var aprilStatement = await (await finance.Get("/api/statements/2025-04")).ReadAsync<StatementDto>();
        var aprilLine = aprilStatement.CostCentres.Single(c => c.CostCentre == cc);
        Assert.Equal(7.1m, aprilLine.UsageCost);
        Assert.Equal(-0.5m, aprilLine.Adjustments);
        Assert.Equal(6.6m, aprilLine.Total);

        var everything = await fixture.DbAsync(db => db.UsageEntries.Where(u => u.CostCentre == cc).SumAsync(u => u.Cost, Api.Ct));
        Assert.Equal(everything, after.CostCentres.Single(c => c.CostCentre == cc).UsageCost + aprilLine.UsageCost);
    }

    [Fact]
    public async Task Adjustment_WithTooManyDecimals_OrNoReason_IsRefused()
    {
        fixture.Require();
        using var finance = await fixture.ClientAsAsync("finance@demo.bank");
        await (await finance.PostJsonAsync("/api/statements/2025-06/adjustments", new CreateAdjustmentRequest("CC-1", 0.1234567m, "USD", "x"))).ValidationErrorAsync("amount");
        await (await finance.PostJsonAsync("/api/statements/2025-06/adjustments", new CreateAdjustmentRequest("CC-1", 1m, "USD", ""))).ValidationErrorAsync("reason");
        await (await finance.PostJsonAsync("/api/statements/2025-13/adjustments", new CreateAdjustmentRequest("CC-1", 1m, "USD", "x"))).ValidationErrorAsync("period");
    }
}

[Collection(SqliteCollection.Name)]
public sealed class UsageAndChargebackTests_Sqlite(SqliteFixture fixture) : UsageAndChargebackTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class UsageAndChargebackTests_Postgres(PostgresFixture fixture) : UsageAndChargebackTests(fixture);
