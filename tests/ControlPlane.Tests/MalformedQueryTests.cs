using System.Collections.Concurrent;
using System.Reflection;
using Gateway.Contracts.Admin;
using Gateway.ControlPlane.Tests.Infrastructure;
using Gateway.Testing;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// Odd query strings on every list of the admin API, in bulk: each parameter its query class
/// declares (search, filters, dates, paging, sort), set to values drawn at random (LIKE
/// wildcards and escapes, quotes, a trailing backslash, 3,000 characters, negative and huge
/// numbers, dates that do not parse or are out of range, the same parameter twice), as a user of
/// each role. Every answer is a page or a ProblemDetails with its status, never a 5xx, on SQLite
/// and on PostgreSQL (whose text and date handling differs).
/// The draws are the same on every run; <c>FUZZ_SEED=n</c> picks another sequence to explore.
/// </summary>
public abstract class MalformedQueryTests(ControlPlaneFixture fixture)
{
    private const int RequestsPerList = 40;

    /// <summary>Each list, the class of its query parameters, and who reads it.</summary>
    private static readonly (string Path, Type Query, string User)[] Lists =
    [
        ("/api/teams", typeof(TeamQuery), "dev@demo.bank"),
        ($"/api/teams/{Contracts.Demo.DemoCatalog.TeamId}/members", typeof(TeamMemberQuery), "admin@demo.bank"),
        ("/api/users", typeof(UserQuery), "admin@demo.bank"),
        ("/api/providers", typeof(ProviderQuery), "admin@demo.bank"),
        ("/api/models", typeof(ModelQuery), "dev@demo.bank"),
        ("/api/access-requests", typeof(AccessRequestQuery), "approver@demo.bank"),
        ("/api/subscriptions", typeof(SubscriptionQuery), "dev@demo.bank"),
        ("/api/keys", typeof(ApiKeyQuery), "dev@demo.bank"),
        ("/api/usage/records", typeof(UsageRecordQuery), "finance@demo.bank"),
        ("/api/usage/summary", typeof(UsageSummaryQuery), "finance@demo.bank"),
        ("/api/statements", typeof(StatementPeriodQuery), "finance@demo.bank"),
        ("/api/audit", typeof(AuditQuery), "admin@demo.bank"),
        ("/api/audit/export", typeof(AuditQuery), "admin@demo.bank"),
        ("/api/audit/verify", typeof(AuditVerifyQuery), "admin@demo.bank"),
        ("/api/proxies", typeof(ProxyNodeQuery), "admin@demo.bank"),
    ];

    private static readonly string[] Values =
    [
        "", "%", "_", "%25", "a%b", "\\", "a\\", "'", "''", "\"", "[", "]", "*", "?", "%5C", "%27%20OR%201%3D1--", "null", "true",
        "-1", "0", "1", "2147483648", "99999999999999999999", "1.5", "1e9", "NaN", "asc", "desc", "x", "%E2%82%AC", "%F0%9F%98%80",
        "2026-11", "2026-13", "0000-01", "9999-12", "2026-11-28T00:00:00Z", "2026-02-30", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
        "10000-01-01", "yesterday", new string('s', 3000),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OddQueryStrings_OnEveryList_GetAPageOrAProblem()
    {
        fixture.Require();
        var random = new Random(JsonMutator.Seed);
        using var clients = await UserClients.SignInAsync(fixture, Lists.Select(l => l.User));
        var draws = new List<(string User, string Url)>();
        foreach (var (path, query, user) in Lists)
        {
            var names = query.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]).ToArray();
            for (var i = 0; i < RequestsPerList; i++)
            {
                var parameters = Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"{names[random.Next(names.Length)]}={Values[random.Next(Values.Length)]}");
                draws.Add((user, path + "?" + string.Join('&', parameters)));
            }
        }

        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(draws, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (draw, ct) =>
        {
            using var response = await clients[draw.User].GetAsync(new Uri(draw.Url, UriKind.Relative), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (Api.ProblemShapeError(response, text) is { } problem) failures.Enqueue($"{draw.User} GET {(draw.Url.Length > 200 ? draw.Url[..200] + "…" : draw.Url)} → {(int)response.StatusCode}: {problem}: {(text.Length > 300 ? text[..300] : text)}");
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {draws.Count} lists were mishandled:\n" + string.Join("\n", failures.Take(15)));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class MalformedQueryTests_Sqlite(SqliteFixture fixture) : MalformedQueryTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class MalformedQueryTests_Postgres(PostgresFixture fixture) : MalformedQueryTests(fixture);
