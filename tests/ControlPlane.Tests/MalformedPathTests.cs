using System.Collections.Concurrent;
using System.Text;
using Gateway.ControlPlane.Tests.Infrastructure;
using Gateway.Testing;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// Odd ids in the path of every admin route that takes one, in bulk: empty and blank segments, dot
/// segments, encoded slashes and percent signs, quotes, 3,000 characters, non-ASCII, each sent with
/// the route's method (and an empty JSON object for writes) by the role that may call it. Every
/// answer is a page, a record or a ProblemDetails with its status, never a 5xx, on SQLite and on
/// PostgreSQL. Only ids that name nothing are drawn, so nothing is changed.
/// The draws are the same on every run; <c>FUZZ_SEED=n</c> picks another sequence to explore.
/// </summary>
public abstract class MalformedPathTests(ControlPlaneFixture fixture)
{
    private const int RequestsPerRoute = 12;

    private static readonly (string Method, string Template, string User)[] Routes =
    [
        ("GET", "/api/teams/{0}", "admin@demo.bank"), ("PUT", "/api/teams/{0}", "admin@demo.bank"), ("GET", "/api/teams/{0}/members", "admin@demo.bank"),
        ("PUT", "/api/teams/{0}/members", "admin@demo.bank"), ("DELETE", "/api/teams/{0}/members/{1}", "admin@demo.bank"),
        ("PUT", "/api/users/{0}/roles", "admin@demo.bank"), ("GET", "/api/providers/{0}", "admin@demo.bank"), ("PUT", "/api/providers/{0}", "admin@demo.bank"),
        ("DELETE", "/api/providers/{0}", "admin@demo.bank"), ("GET", "/api/models/{0}", "dev@demo.bank"), ("PUT", "/api/models/{0}", "admin@demo.bank"),
        ("POST", "/api/models/{0}/versions", "admin@demo.bank"), ("PUT", "/api/models/{0}/versions/{1}", "admin@demo.bank"),
        ("PUT", "/api/models/{0}/versions/{1}/prices", "admin@demo.bank"), ("POST", "/api/models/{0}/versions/{1}/deployments", "admin@demo.bank"),
        ("DELETE", "/api/models/{0}/versions/{1}/deployments/{0}", "admin@demo.bank"), ("GET", "/api/keys/{0}", "dev@demo.bank"),
        ("POST", "/api/keys/{0}/rotate", "dev@demo.bank"), ("POST", "/api/keys/{0}/revoke", "dev@demo.bank"), ("GET", "/api/access-requests/{0}", "approver@demo.bank"),
        ("POST", "/api/access-requests/{0}/approve", "approver@demo.bank"), ("POST", "/api/access-requests/{0}/reject", "approver@demo.bank"),
        ("POST", "/api/access-requests/{0}/cancel", "dev@demo.bank"), ("GET", "/api/subscriptions/{0}", "dev@demo.bank"),
        ("POST", "/api/subscriptions/{0}/budget-requests", "dev@demo.bank"), ("POST", "/api/subscriptions/{0}/end", "admin@demo.bank"),
        ("GET", "/api/statements/{0}", "finance@demo.bank"), ("POST", "/api/statements/{0}/close", "finance@demo.bank"),
        ("POST", "/api/statements/{0}/adjustments", "finance@demo.bank"),
    ];

    private static readonly string[] Ids =
    [
        "%20", "..", "%2e%2e", "%2F", "a%2Fb", "a%2Fb%2F..", "%25", "'", "%22", "%27%20OR%201%3D1--", "%E2%82%AC", "%F0%9F%98%80", "nobody", "x.y",
        "2026-13", "0000-00", "9999-12", "-1", "99999999999999999999", new string('p', 3000), "%5C", "%3Cscript%3E", "null", "fz%09tab",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OddIdsInEveryRoute_GetAnAnswerOrAProblem_NeverA5xx()
    {
        fixture.Require();
        var random = new Random(JsonMutator.Seed);
        using var clients = await UserClients.SignInAsync(fixture, Routes.Select(r => r.User));
        var draws = Routes.SelectMany(r => Enumerable.Range(0, RequestsPerRoute).Select(_ =>
            (r.Method, Url: string.Format(System.Globalization.CultureInfo.InvariantCulture, r.Template, Ids[random.Next(Ids.Length)], Ids[random.Next(Ids.Length)]), r.User))).ToList();
        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(draws, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (draw, ct) =>
        {
            using var message = new HttpRequestMessage(new HttpMethod(draw.Method), new Uri(draw.Url, UriKind.Relative));
            if (draw.Method is "PUT" or "POST") message.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            using var response = await clients[draw.User].SendAsync(message, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            // Kestrel and routing refuse some paths before the API (a plain 400 or 404 without a body).
            if ((int)response.StatusCode >= 500 || (text.Length > 0 && Api.ProblemShapeError(response, text) is not null))
                failures.Enqueue($"{draw.User} {draw.Method} {(draw.Url.Length > 150 ? draw.Url[..150] + "…" : draw.Url)} → {(int)response.StatusCode}: {Api.ProblemShapeError(response, text)}: {(text.Length > 300 ? text[..300] : text)}");
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {draws.Count} requests were mishandled:\n" + string.Join("\n", failures.Take(15)));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class MalformedPathTests_Sqlite(SqliteFixture fixture) : MalformedPathTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class MalformedPathTests_Postgres(PostgresFixture fixture) : MalformedPathTests(fixture);
