using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.Contracts.Grpc;
using Gateway.ControlPlane.Tests.Infrastructure;
using Grpc.Core;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// Everyone at once, on the same few records: admins updating teams and their members,
/// developers making, rotating and revoking keys and asking for models, two approvers deciding
/// the same requests, an admin ending subscriptions, finance booking adjustments and closing last
/// month, and proxies shipping usage (each batch twice, at once) into the month being closed, on a
/// control plane of its own per database. Each answer must be a success or a ProblemDetails (a
/// lost race is a 409, never a 5xx); afterwards the audit chain verifies, every usage record is
/// charged exactly once (the closed month's statement as it was at the close, the rest in the
/// open month), and the snapshot the proxies get says what the API says of every key, team and
/// subscription. The interleaving is the same on every run; <c>FUZZ_SEED=n</c> picks another.
/// </summary>
public abstract class ContendedChangesTests(ControlPlaneFixture fixture)
{
    private const int Operations = 240;
    private const int UsageBatches = 24;
    private const int RecordsPerBatch = 5;
    private const decimal CostPerRecord = 0.25m;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConcurrentChangesOnTheSameRecords_AreEachASuccessOrAConflict_AndLeaveOneConsistentState()
    {
        fixture.Require();
        using var clients = await UserClients.SignInAsync(fixture, ["admin@demo.bank", "dev@demo.bank", "approver@demo.bank", "finance@demo.bank"]);
        using var secondApprover = fixture.Client(await fixture.ClientTokenAsync(TestClients.SecondApprover));
        var admin = clients["admin@demo.bank"];
        var dev = clients["dev@demo.bank"];
        var finance = clients["finance@demo.bank"];
        HttpClient[] approvers = [clients["approver@demo.bank"], secondApprover];
        var random = new Random(Testing.JsonMutator.Seed);
        var run = Guid.NewGuid().ToString("N")[..6];
        var now = DateTimeOffset.UtcNow;
        var current = now.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var lastMonthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-1);
        var last = lastMonthStart.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var expires = now.AddDays(30);

        // A few records that everyone works on, so that the changes meet each other.
        var teams = Enumerable.Range(0, 3).Select(i => $"cc-{run}-t{i}").ToArray();
        foreach (var team in teams)
        {
            await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest(team, "Contended " + team, "CC-" + team, new LimitSpec(100, 10_000, 4)))).ReadAsync<TeamDto>(HttpStatusCode.Created);
            await (await admin.PutJsonAsync($"/api/teams/{team}/members", new AddTeamMemberRequest("dev@demo.bank"))).ReadAsync<TeamMemberDto>();
        }
        var usageTeam = $"cc-{run}-usage";
        var usageCostCentre = "CC-U" + run;
        await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest(usageTeam, "Usage " + run, usageCostCentre))).ReadAsync<TeamDto>(HttpStatusCode.Created);
        var dev2 = (await (await admin.PutJsonAsync($"/api/teams/{teams[0]}/members", new AddTeamMemberRequest("dev2@demo.bank"))).ReadAsync<TeamMemberDto>()).UserId;
        var keys = new ConcurrentBag<string>();
        for (var i = 0; i < 6; i++) keys.Add(await KeyAsync(dev, expires));
        var requests = new ConcurrentBag<string>();
        for (var i = 0; i < 6; i++) requests.Add(await RequestAsync(dev, teams[i % teams.Length], i < 3 ? "gpt-4o-mini" : "gpt-4o"));
        var subscriptions = new ConcurrentBag<string>();
        foreach (var team in teams)
        {
            var request = await RequestAsync(dev, team, "claude-sonnet");
            subscriptions.Add((await (await approvers[0].PostJsonAsync($"/api/access-requests/{request}/approve", new ApproveAccessRequest())).ReadAsync<AccessRequestDto>()).ResultSubscriptionId!);
        }

        // Usage of last month and of this one; every batch is shipped twice, at once, by two "proxies".
        var batches = Enumerable.Range(0, UsageBatches).Select(b => UsageShipping.Batch(Enumerable.Range(0, RecordsPerBatch).Select(i =>
            UsageShipping.Record(usageTeam, (b % 2 == 0 ? lastMonthStart.AddDays(10) : now).AddSeconds(-i - b), CostPerRecord)).ToArray())).ToList();

        var operations = new List<(string Name, Func<CancellationToken, Task<HttpResponseMessage>> Send)>();
        for (var i = 0; i < Operations; i++)
        {
            var n = i;
            var team = teams[random.Next(teams.Length)];
            var approver = approvers[random.Next(approvers.Length)];
            switch (random.Next(11))
            {
                case 0:
                    operations.Add(("update team", async ct =>
                    {
                        var seen = await (await admin.Get($"/api/teams/{team}")).ReadAsync<TeamDto>();
                        return await admin.PutJsonAsync($"/api/teams/{team}", new UpdateTeamRequest(seen.Name, seen.CostCentre, new LimitSpec(100 + n, 10_000 + n, 4), seen.ConcurrencyStamp));
                    }));
                    break;
                case 1:
                    operations.Add(("update team, no stamp", ct => admin.PutJsonAsync($"/api/teams/{team}", new UpdateTeamRequest("Contended " + team, "CC-" + team, new LimitSpec(200 + n)))));
                    break;
                case 2:
                    operations.Add(n % 2 == 0
                        ? ("add member", ct => admin.PutJsonAsync($"/api/teams/{teams[0]}/members", new AddTeamMemberRequest("dev2@demo.bank")))
                        : ("remove member", ct => admin.DeleteAsync(new Uri($"/api/teams/{teams[0]}/members/{dev2}", UriKind.Relative), ct)));
                    break;
                case 3:
                    operations.Add(("create key", async ct =>
                    {
                        var response = await dev.PostJsonAsync("/api/keys", new CreateApiKeyRequest(Contracts.Demo.DemoCatalog.TeamId, $"contended-{n}", expires));
                        if (response.StatusCode == HttpStatusCode.Created) keys.Add((await response.ReadAsync<CreatedApiKeyDto>(HttpStatusCode.Created)).Details.KeyId);
                        return response;
                    }));
                    break;
                case 4:
                    operations.Add(("revoke key", ct => dev.PostJsonAsync($"/api/keys/{Pick(keys, random)}/revoke", new { })));
                    break;
                case 5:
                    operations.Add(("rotate key", async ct =>
                    {
                        var response = await dev.PostJsonAsync($"/api/keys/{Pick(keys, random)}/rotate", new RotateApiKeyRequest(expires, n % 3 == 0 ? 0 : 60));
                        if (response.IsSuccessStatusCode) keys.Add((await response.ReadAsync<CreatedApiKeyDto>()).Details.KeyId);
                        return response;
                    }));
                    break;
                case 6:
                    operations.Add(("ask for a model", async ct =>
                    {
                        var response = await dev.PostJsonAsync("/api/access-requests", new CreateAccessRequest(team, n % 2 == 0 ? "gpt-4o-mini" : "gpt-4o", "Contended"));
                        if (response.StatusCode == HttpStatusCode.Created) requests.Add((await response.ReadAsync<AccessRequestDto>(HttpStatusCode.Created)).Id);
                        return response;
                    }));
                    break;
                case 7:
                    {
                        var request = Pick(requests, random);
                        operations.Add((n % 3) switch
                        {
                            0 => ("reject", ct => approver.PostJsonAsync($"/api/access-requests/{request}/reject", new RejectAccessRequest("Contended"))),
                            1 => ("cancel", ct => dev.PostJsonAsync($"/api/access-requests/{request}/cancel", new { })),
                            _ => ("approve", async ct =>
                            {
                                var response = await approver.PostJsonAsync($"/api/access-requests/{request}/approve", new ApproveAccessRequest(new LimitSpec(10, 1_000)));
                                if (response.IsSuccessStatusCode && (await response.ReadAsync<AccessRequestDto>()).ResultSubscriptionId is { } s) subscriptions.Add(s);
                                return response;
                            }),
                        });
                        break;
                    }
                case 8:
                    operations.Add(n % 2 == 0
                        ? ("adjust last month", ct => finance.PostJsonAsync($"/api/statements/{last}/adjustments", new CreateAdjustmentRequest(usageCostCentre, 1.5m, "USD", "Contended")))
                        : ("end subscription", ct => admin.PostJsonAsync($"/api/subscriptions/{Pick(subscriptions, random)}/end", new { })));
                    break;
                case 9:
                    operations.Add(("adjust this month", ct => finance.PostJsonAsync($"/api/statements/{current}/adjustments", new CreateAdjustmentRequest(usageCostCentre, -0.5m, "USD", "Contended"))));
                    break;
                default:
                    operations.Add(("prices", ct => admin.PutJsonAsync("/api/models/gpt-4o/versions/gpt-4o-2024-11-20/prices",
                        new UpdatePricesRequest(new PriceSpec(2.5m + n / 100m, 1.25m, 10m, "USD")))));
                    break;
            }
        }

        // The close of last month lands in the middle of everything else, and a second close races it.
        var closes = new ConcurrentBag<StatementDto>();
        for (var i = 0; i < 2; i++)
        {
            operations.Insert(Operations / 2 + 3 * i, ("close last month", async ct =>
            {
                var response = await finance.PostJsonAsync($"/api/statements/{last}/close", new { });
                if (response.IsSuccessStatusCode) closes.Add(await response.ReadAsync<StatementDto>());
                return response;
            }));
        }

        var failures = new ConcurrentQueue<string>();
        var outcomes = new ConcurrentDictionary<string, int>();
        var acks = new ConcurrentBag<UsageAck>();
        var shipping = Parallel.ForEachAsync(batches.Concat(batches).Select((b, i) => (b, i)), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (item, ct) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(item.i * 40 % 3_000), ct); // spread over the workload, the close among them
            try
            {
                foreach (var ack in await UsageShipping.ShipAsync(fixture, item.b)) acks.Add(ack);
            }
            catch (RpcException e)
            {
                failures.Enqueue($"ship {item.b.BatchId} → {e.StatusCode}: {e.Status.Detail}");
            }
        });
        await Parallel.ForEachAsync(operations, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (op, ct) =>
        {
            using var response = await op.Send(ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            outcomes.AddOrUpdate($"{op.Name} {(int)response.StatusCode}", 1, (_, c) => c + 1);
            if (Api.ProblemShapeError(response, text) is { } problem) failures.Enqueue($"{op.Name} → {(int)response.StatusCode}: {problem}: {Cut(text)}");
        });
        await shipping;
        var tally = string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}: {o.Value}"));
        TestContext.Current.TestOutputHelper?.WriteLine(tally);
        Assert.True(failures.IsEmpty, $"{failures.Count} calls were mishandled ({tally}):\n" + string.Join("\n", failures.Take(15)));
        // The workload did meet itself: some races were lost, and every kind of change also went through.
        Assert.True(outcomes.Keys.Any(k => k.EndsWith(" 409", StringComparison.Ordinal)), "no call lost a race: " + tally);
        foreach (var name in new[] { "update team", "create key", "adjust this month", "close last month" })
            Assert.True(outcomes.Keys.Any(k => k.StartsWith(name + " 2", StringComparison.Ordinal)), $"no '{name}' went through: " + tally);

        // The audit chain is one unbroken chain.
        var audit = await (await admin.Get("/api/audit/verify")).ReadAsync<AuditVerificationDto>();
        Assert.True(audit.Valid, $"the audit chain broke at {audit.FirstBrokenSequence}: {audit.Reason}");

        // Every usage record is charged once: the batch shipped twice is inserted once; last month's
        // statement is what it was when it closed; what came after the close is charged this month.
        Assert.Equal(UsageBatches * RecordsPerBatch, acks.Sum(a => a.Inserted));
        Assert.Equal(UsageBatches * RecordsPerBatch, acks.Sum(a => a.Duplicates));
        Assert.All(acks, a => Assert.Equal(0, a.Rejected));
        var closed = Assert.Single(closes);
        var lastStatement = await (await finance.Get($"/api/statements/{last}")).ReadAsync<StatementDto>();
        Assert.True(lastStatement.Closed);
        Assert.Equal(Lines(closed, usageTeam), Lines(lastStatement, usageTeam));
        Assert.Equal(closed.Totals, lastStatement.Totals);
        Assert.Equal(closed.Adjustments.Select(a => a.Id).Order(), lastStatement.Adjustments.Select(a => a.Id).Order());
        var thisStatement = await (await finance.Get($"/api/statements/{current}")).ReadAsync<StatementDto>();
        var charged = Lines(lastStatement, usageTeam).Concat(Lines(thisStatement, usageTeam)).ToList();
        Assert.Equal(UsageBatches * RecordsPerBatch, charged.Sum(l => l.Requests));
        Assert.Equal(UsageBatches * RecordsPerBatch * CostPerRecord, charged.Sum(l => l.Cost));

        // The proxies are told what the API says: every key's status, every team's limits, every subscription's end.
        var apiKeys = (await (await dev.Get("/api/keys?teamId=team-demo&pageSize=200")).ReadAsync<PagedResult<ApiKeyDto>>()).Items.ToDictionary(k => k.KeyId);
        var apiTeams = new Dictionary<string, TeamDto>();
        foreach (var team in teams) apiTeams[team] = await (await admin.Get($"/api/teams/{team}")).ReadAsync<TeamDto>();
        var apiSubscriptions = (await (await admin.Get("/api/subscriptions?pageSize=200")).ReadAsync<PagedResult<SubscriptionDto>>()).Items.Where(s => teams.Contains(s.TeamId)).ToList();
        var revision = (await (await admin.Get("/api/snapshot")).ReadAsync<SnapshotInfoDto>()).Revision;
        var snapshot = await SnapshotWatch.WaitForAsync(fixture, s => s.Revision >= revision);
        foreach (var key in keys.Distinct())
        {
            var api = apiKeys[key];
            var spec = snapshot.Keys.SingleOrDefault(k => k.KeyId == key);
            var usable = api.Status == KeyStatus.Active && api.ExpiresAt > DateTimeOffset.UtcNow;
            Assert.True(usable ? spec is { Status: KeyStatus.Active } && spec.ExpiresAt == api.ExpiresAt : spec is null or { Status: KeyStatus.Revoked } || spec.ExpiresAt <= DateTimeOffset.UtcNow,
                $"key {key}: the API says {api.Status} until {api.ExpiresAt:O}, the snapshot {(spec is null ? "nothing" : $"{spec.Status} until {spec.ExpiresAt:O}")}");
        }
        foreach (var team in teams)
            Assert.Equal(apiTeams[team].Limits, snapshot.Teams.Single(t => t.Id == team).Limits);
        foreach (var s in apiSubscriptions)
        {
            var spec = snapshot.Subscriptions.SingleOrDefault(x => x.Id == s.Id);
            Assert.True(s.Status == SubscriptionStatus.Active ? spec is not null && spec.EndsAt == s.EndsAt : spec is null || spec.EndsAt <= DateTimeOffset.UtcNow,
                $"subscription {s.Id}: the API says {s.Status} (ends {s.EndsAt:O}), the snapshot {(spec is null ? "nothing" : $"ends {spec.EndsAt:O}")}");
        }
    }

    private static IEnumerable<StatementLineDto> Lines(StatementDto statement, string team) =>
        statement.CostCentres.SelectMany(c => c.Lines).Where(l => l.TeamId == team).OrderBy(l => l.ModelVersion, StringComparer.Ordinal);

    private static string Pick(ConcurrentBag<string> bag, Random random)
    {
        var items = bag.ToArray();
        lock (random) return items[random.Next(items.Length)];
    }

    private static async Task<string> KeyAsync(HttpClient dev, DateTimeOffset expires) =>
        (await (await dev.PostJsonAsync("/api/keys", new CreateApiKeyRequest(Contracts.Demo.DemoCatalog.TeamId, "contended", expires)))
            .ReadAsync<CreatedApiKeyDto>(HttpStatusCode.Created)).Details.KeyId;

    private static async Task<string> RequestAsync(HttpClient dev, string team, string model) =>
        (await (await dev.PostJsonAsync("/api/access-requests", new CreateAccessRequest(team, model, "Contended")))
            .ReadAsync<AccessRequestDto>(HttpStatusCode.Created)).Id;

    private static string Cut(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

[CollectionDefinition(Name)]
public sealed class ContendedSqliteCollection : ICollectionFixture<SqliteFixture>
{
    public const string Name = "ControlPlane on SQLite, for contended changes";
}

[CollectionDefinition(Name)]
public sealed class ContendedPostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "ControlPlane on PostgreSQL, for contended changes";
}

[Collection(ContendedSqliteCollection.Name)]
public sealed class ContendedChangesTests_Sqlite(SqliteFixture fixture) : ContendedChangesTests(fixture);

[Collection(ContendedPostgresCollection.Name)]
public sealed class ContendedChangesTests_Postgres(PostgresFixture fixture) : ContendedChangesTests(fixture);
