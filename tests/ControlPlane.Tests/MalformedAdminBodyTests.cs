using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Gateway.Contracts.Admin;
using Gateway.ControlPlane.Tests.Infrastructure;
using Gateway.Testing;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// Bad input to the admin API, in bulk: a valid body for each write the portal makes (teams and
/// members, providers, models, versions, prices and deployments, API keys and their rotation,
/// access and budget requests and their approval or rejection, chargeback adjustments), each
/// mutated at random (<see cref="JsonMutator"/>) and sent by the role that may make it, on a
/// control plane of its own per database. Every answer must be a success or a ProblemDetails
/// (<c>application/problem+json</c> with its status), never a 5xx; afterwards every list still
/// reads, the audit chain still verifies, and the next change is still compiled into a snapshot.
/// The mutations are the same on every run; <c>FUZZ_SEED=n</c> picks another sequence to explore.
/// </summary>
public abstract class MalformedAdminBodyTests(ControlPlaneFixture fixture)
{
    private const int MutationsPerSeed = 40;

    private static readonly JsonMutator Mutator = new(
    [
        "id", "name", "costCentre", "limits", "requestsPerMinute", "tokensPerMinute", "maxConcurrent", "kind", "baseUrl",
        "credentialRef", "apiVersion", "connectTimeoutSeconds", "alias", "firstVersion", "status", "prices", "inputPerMillion",
        "outputPerMillion", "currency", "deployments", "providerId", "upstreamModel", "weight", "priority", "teamId",
        "application", "expiresAt", "subscriptionIds", "modelAlias", "justification", "budget", "monthlyTokens",
        "monthlyAmount", "endsAt", "reason", "amount", "overLimit", "maxOutputTokens", "pinnedVersion", "concurrencyStamp",
        "email", "role", "canary", "percent", "defaultVersion", "successor", "sunsetAt", "overlapMinutes",
    ]);

    /// <summary>
    /// Who sends what: a path and a valid body. Placeholders, filled per case before the body is
    /// mutated: <c>{n}</c> a number of its own; <c>{team}</c> a new team with the developer as a
    /// member; <c>{request}</c> a pending access request of such a team; <c>{subscription}</c> an
    /// active subscription of one; <c>{key}</c> a new key of the demo team; <c>{expires}</c> a month ahead.
    /// </summary>
    private static readonly (string User, string Method, string Path, string Body)[] Seeds =
    [
        ("admin@demo.bank", "POST", "/api/teams", """{"id":"fz-team-{n}","name":"Fuzz {n}","costCentre":"CC-F{n}","limits":{"requestsPerMinute":10,"tokensPerMinute":1000,"maxConcurrent":2}}"""),
        ("admin@demo.bank", "PUT", "/api/teams/{team}", """{"name":"Renamed","costCentre":"CC-R{n}","limits":{"requestsPerMinute":100}}"""),
        ("admin@demo.bank", "PUT", "/api/teams/{team}/members", """{"email":"dev2@demo.bank","role":"member"}"""),
        ("admin@demo.bank", "POST", "/api/providers", """{"id":"fz-p-{n}","kind":"openai","baseUrl":"https://api.example.com","credentialRef":"env:FUZZ_KEY","apiVersion":null,"connectTimeoutSeconds":10,"firstByteTimeoutSeconds":300,"streamIdleTimeoutSeconds":120}"""),
        ("admin@demo.bank", "PUT", "/api/providers/mockllm-openai-backup", """{"kind":"openai","baseUrl":"http://127.0.0.1:5089","credentialRef":"env:MOCKLLM_API_KEY","connectTimeoutSeconds":5,"firstByteTimeoutSeconds":60,"streamIdleTimeoutSeconds":60}"""),
        ("admin@demo.bank", "POST", "/api/models", """{"alias":"fz-m-{n}","kind":"chat","firstVersion":{"name":"fz-v-{n}","status":"ga","prices":{"inputPerMillion":1,"cachedInputPerMillion":0.5,"outputPerMillion":2,"currency":"USD"},"maxDataClassification":"internal","maxOutputTokens":1000,"contextWindow":8000,"deployments":[{"id":"fz-d-{n}","providerId":"mockllm-openai","upstreamModel":"gpt-4o","weight":1,"priority":0,"region":"eu"}]},"description":"Fuzz","tokenizer":"o200k_base"}"""),
        ("admin@demo.bank", "PUT", "/api/models/gpt-4o", """{"defaultVersion":"gpt-4o-2024-08-06","canary":{"version":"gpt-4o-2024-11-20","percent":10},"tokenizer":"o200k_base","description":"GPT-4o"}"""),
        ("admin@demo.bank", "POST", "/api/models/gpt-4o/versions", """{"name":"fz-gpt-{n}","status":"preview","prices":{"inputPerMillion":2.5,"cachedInputPerMillion":1.25,"outputPerMillion":10,"currency":"USD"},"maxOutputTokens":4096,"deployments":[{"id":"fz-gd-{n}","providerId":"mockllm-openai","upstreamModel":"gpt-4o"}]}"""),
        ("admin@demo.bank", "PUT", "/api/models/gpt-4o/versions/gpt-4o-2024-11-20", """{"status":"preview","maxDataClassification":"confidential","maxOutputTokens":4096,"contextWindow":128000}"""),
        ("admin@demo.bank", "PUT", "/api/models/gpt-4o/versions/gpt-4o-2024-11-20/prices", """{"prices":{"inputPerMillion":2.5,"cachedInputPerMillion":1.25,"outputPerMillion":10,"currency":"USD"}}"""),
        ("admin@demo.bank", "POST", "/api/models/gpt-4o/versions/gpt-4o-2024-11-20/deployments", """{"id":"fz-dep-{n}","providerId":"mockllm-openai","upstreamModel":"gpt-4o","weight":1,"priority":1,"region":"eu"}"""),
        ("dev@demo.bank", "POST", "/api/keys", """{"teamId":"team-demo","application":"fuzz-{n}","expiresAt":"{expires}","subscriptionIds":null,"limits":{"requestsPerMinute":5}}"""),
        ("dev@demo.bank", "POST", "/api/keys/{key}/rotate", """{"expiresAt":"{expires}","overlapMinutes":60}"""),
        ("dev@demo.bank", "POST", "/api/access-requests", """{"teamId":"{team}","modelAlias":"gpt-4o-mini","justification":"Fuzz","limits":{"requestsPerMinute":10,"tokensPerMinute":1000},"budget":{"monthlyTokens":100000,"monthlyAmount":10,"currency":"USD"},"dataClassification":"internal","endsAt":null}"""),
        ("approver@demo.bank", "POST", "/api/access-requests/{request}/approve", """{"limits":{"requestsPerMinute":5,"tokensPerMinute":500,"maxConcurrent":1},"budget":{"monthlyTokens":50000,"monthlyAmount":5,"currency":"USD"},"overLimit":"clamp","maxOutputTokens":100}"""),
        ("approver@demo.bank", "POST", "/api/access-requests/{request}/reject", """{"reason":"Not now"}"""),
        ("dev@demo.bank", "POST", "/api/subscriptions/{subscription}/budget-requests", """{"justification":"More","budget":{"monthlyTokens":200000,"monthlyAmount":20,"currency":"USD"},"limits":{"requestsPerMinute":20}}"""),
        ("finance@demo.bank", "POST", "/api/statements/{period}/adjustments", """{"costCentre":"CC-1001","amount":12.5,"currency":"USD","reason":"Correction","correctsPeriod":null}"""),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MutatedAdminBodies_GetASuccessOrAProblem_AndLeaveTheStateReadable()
    {
        fixture.Require();
        using var clients = await UserClients.SignInAsync(fixture, Seeds.Select(s => s.User).Append("admin@demo.bank"));
        var admin = clients["admin@demo.bank"];
        var dev = clients["dev@demo.bank"];
        var approver = clients["approver@demo.bank"];
        var random = new Random(JsonMutator.Seed);
        var expires = DateTimeOffset.UtcNow.AddDays(30).ToString("O", CultureInfo.InvariantCulture);
        var period = DateTimeOffset.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var run = Guid.NewGuid().ToString("N")[..6];

        // What the placeholders name is made first, with valid calls, so the mutations meet real state.
        var cases = new List<(string User, string Method, string Path, string Body, string Mutation)>();
        var n = 0;
        foreach (var (user, method, path, body) in Seeds)
        {
            for (var i = 0; i <= MutationsPerSeed; i++)
            {
                var id = $"{run}{n++}";
                var fill = new Dictionary<string, string> { ["{n}"] = id, ["{expires}"] = expires, ["{period}"] = period };
                var template = path + body;
                if (template.Contains("{team}") || template.Contains("{request}") || template.Contains("{subscription}")) fill["{team}"] = await TeamAsync(admin, "fz-t-" + id);
                if (template.Contains("{request}") || template.Contains("{subscription}")) fill["{request}"] = await RequestAsync(dev, fill["{team}"]);
                if (template.Contains("{subscription}")) fill["{subscription}"] = await ApproveAsync(approver, fill["{request}"]);
                if (template.Contains("{key}")) fill["{key}"] = await KeyAsync(dev, expires);
                var filledPath = Fill(path, fill);
                var filledBody = Fill(body, fill);
                if (i == 0)
                {
                    cases.Add((user, method, filledPath, filledBody, "none"));
                    continue;
                }
                var (mutated, mutation) = Mutator.Mutate(filledBody, random);
                cases.Add((user, method, filledPath, mutated, mutation));
            }
        }

        // The unmutated calls first, one at a time: each succeeds, so the cases reach the code they aim at
        // (in parallel, two updates of one record may race, and the loser's 409 is right).
        foreach (var (user, method, path, body, _) in cases.Where(c => c.Mutation == "none"))
        {
            using var response = await clients[user].SendRawAsync(new HttpMethod(method), path, body);
            Assert.True(response.IsSuccessStatusCode, $"the valid {method} {path} got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        }
        var failures = new ConcurrentQueue<string>();
        var fuzzed = cases.Where(c => c.Mutation != "none").ToList();
        await Parallel.ForEachAsync(fuzzed, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (c, ct) =>
        {
            using var response = await clients[c.User].SendRawAsync(new HttpMethod(c.Method), c.Path, c.Body);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (Api.ProblemShapeError(response, text) is { } problem) failures.Enqueue($"{c.Method} {c.Path} [{c.Mutation}] {Cut(c.Body)} → {(int)response.StatusCode}: {problem}: {Cut(text)}");
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {fuzzed.Count} calls were mishandled:\n" + string.Join("\n", failures.Take(15)));

        // The state still reads, the audit chain still verifies, and the next change still compiles into a snapshot.
        foreach (var (user, path) in new[]
        {
            ("admin@demo.bank", "/api/teams?pageSize=200"), ("admin@demo.bank", "/api/models?pageSize=200"), ("admin@demo.bank", "/api/providers?pageSize=200"),
            ("admin@demo.bank", "/api/access-requests?pageSize=200"), ("admin@demo.bank", "/api/subscriptions?pageSize=200"), ("dev@demo.bank", "/api/keys?pageSize=200"),
            ("finance@demo.bank", "/api/statements"), ("finance@demo.bank", $"/api/statements/{period}"), ("admin@demo.bank", "/api/audit?pageSize=200"),
        })
        {
            var response = await clients[user].Get(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} after the mutations: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }
        var audit = await (await admin.Get("/api/audit/verify")).ReadAsync<AuditVerificationDto>();
        Assert.True(audit.Valid, $"the audit chain broke at {audit.FirstBrokenSequence}: {audit.Reason}");
        var final = "fz-final-" + run;
        await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest(final, "Final", "CC-FINAL"))).ReadAsync<TeamDto>(HttpStatusCode.Created);
        var teams = (await (await admin.Get("/api/teams?pageSize=1")).ReadAsync<PagedResult<TeamDto>>()).Total;
        await Eventually.HoldsAsync(async () => (await (await admin.Get("/api/snapshot")).ReadAsync<SnapshotInfoDto>()).Teams == teams,
            TimeSpan.FromSeconds(30), "the snapshot holds every team, the one made after the mutations too");
    }

    private static string Fill(string text, Dictionary<string, string> fill)
    {
        foreach (var (placeholder, value) in fill) text = text.Replace(placeholder, value, StringComparison.Ordinal);
        return text;
    }

    private static async Task<string> TeamAsync(HttpClient admin, string id)
    {
        await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest(id, "Fuzz " + id, "CC-" + id))).ReadAsync<TeamDto>(HttpStatusCode.Created);
        await (await admin.PutJsonAsync($"/api/teams/{id}/members", new AddTeamMemberRequest("dev@demo.bank"))).ReadAsync<TeamMemberDto>();
        return id;
    }

    private static async Task<string> RequestAsync(HttpClient dev, string team) =>
        (await (await dev.PostJsonAsync("/api/access-requests", new CreateAccessRequest(team, "gpt-4o-mini", "Fuzz")))
            .ReadAsync<AccessRequestDto>(HttpStatusCode.Created)).Id;

    private static async Task<string> ApproveAsync(HttpClient approver, string request) =>
        (await (await approver.PostJsonAsync($"/api/access-requests/{request}/approve", new ApproveAccessRequest()))
            .ReadAsync<AccessRequestDto>()).ResultSubscriptionId!;

    private static async Task<string> KeyAsync(HttpClient dev, string expires) =>
        (await (await dev.PostJsonAsync("/api/keys", new CreateApiKeyRequest(Contracts.Demo.DemoCatalog.TeamId, "fuzz-rotate", DateTimeOffset.Parse(expires, CultureInfo.InvariantCulture))))
            .ReadAsync<CreatedApiKeyDto>(HttpStatusCode.Created)).Details.KeyId;

    private static string Cut(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

[CollectionDefinition(Name)]
public sealed class MalformedAdminSqliteCollection : ICollectionFixture<SqliteFixture>
{
    public const string Name = "ControlPlane on SQLite, for mutated bodies";
}

[CollectionDefinition(Name)]
public sealed class MalformedAdminPostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "ControlPlane on PostgreSQL, for mutated bodies";
}

[Collection(MalformedAdminSqliteCollection.Name)]
public sealed class MalformedAdminBodyTests_Sqlite(SqliteFixture fixture) : MalformedAdminBodyTests(fixture);

[Collection(MalformedAdminPostgresCollection.Name)]
public sealed class MalformedAdminBodyTests_Postgres(PostgresFixture fixture) : MalformedAdminBodyTests(fixture);
