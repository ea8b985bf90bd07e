using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Gateway.ControlPlane.Tests.Infrastructure;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// Every endpoint × every role, with real tokens: allowed (any status but 401/403), 403 for a
/// signed-in caller without the role, 401 without a token. Requests that are allowed name
/// unknown ids or carry invalid bodies, so they change nothing.
/// </summary>
public abstract class AuthorizationMatrixTests(ControlPlaneFixture fixture)
{
    [Flags]
    private enum R
    {
        None = 0,
        Dev = 1,
        Approver = 2,
        Finance = 4,
        Admin = 8,
        Any = Dev | Approver | Finance | Admin,
        Authenticated = 16 | Any,
    }

    private sealed record Case(string Method, string Path, R Allowed, string? Body = null);

    private static readonly Case[] Cases =
    [
        new("GET", "/api/me", R.Authenticated),
        new("GET", "/api/teams", R.Any),
        new("GET", "/api/teams/team-demo", R.Any),
        new("POST", "/api/teams", R.Admin, "{}"),
        new("PUT", "/api/teams/team-nope", R.Admin, """{"name":"n","costCentre":"c"}"""),
        new("GET", "/api/teams/team-demo/members", R.Any),
        new("PUT", "/api/teams/team-nope/members", R.Admin, """{"email":"nobody@demo.bank"}"""),
        new("DELETE", "/api/teams/team-nope/members/nobody", R.Admin),
        new("GET", "/api/users", R.Admin),
        new("PUT", "/api/users/nobody/roles", R.Admin, """{"roles":[]}"""),
        new("GET", "/api/providers", R.Admin),
        new("GET", "/api/providers/p-nope", R.Admin),
        new("POST", "/api/providers", R.Admin, "{}"),
        new("PUT", "/api/providers/p-nope", R.Admin, """{"kind":"openai","baseUrl":"http://x"}"""),
        new("DELETE", "/api/providers/p-nope", R.Admin),
        new("POST", "/api/providers/p-nope/suspend", R.Admin, """{"reason":"r"}"""),
        new("POST", "/api/providers/p-nope/resume", R.Admin),
        new("GET", "/api/models", R.Any),
        new("GET", "/api/models/gpt-4o", R.Any),
        new("POST", "/api/models", R.Admin, "{}"),
        new("PUT", "/api/models/m-nope", R.Admin, """{"defaultVersion":"v"}"""),
        new("POST", "/api/models/m-nope/versions", R.Admin, "{}"),
        new("PUT", "/api/models/m-nope/versions/v-nope", R.Admin, """{"status":"ga"}"""),
        new("PUT", "/api/models/m-nope/versions/v-nope/prices", R.Admin, """{"prices":{"inputPerMillion":1,"cachedInputPerMillion":1,"outputPerMillion":1,"currency":"USD"}}"""),
        new("POST", "/api/models/m-nope/versions/v-nope/deployments", R.Admin, """{"id":"d","providerId":"p","upstreamModel":"u"}"""),
        new("DELETE", "/api/models/m-nope/versions/v-nope/deployments/d-nope", R.Admin),
        new("GET", "/api/changes", R.Admin),
        new("GET", "/api/changes/chg-nope", R.Admin),
        new("POST", "/api/changes/chg-nope/approve", R.Admin),
        new("POST", "/api/changes/chg-nope/reject", R.Admin, """{"reason":"r"}"""),
        new("POST", "/api/changes/chg-nope/withdraw", R.Admin),
        new("GET", "/api/access-requests", R.Dev | R.Approver | R.Admin),
        new("GET", "/api/access-requests/req-nope", R.Dev | R.Approver | R.Admin),
        new("POST", "/api/access-requests", R.Dev, """{"teamId":"team-nope","modelAlias":"gpt-4o","justification":"j"}"""),
        new("POST", "/api/access-requests/req-nope/approve", R.Approver, "{}"),
        new("POST", "/api/access-requests/req-nope/reject", R.Approver, """{"reason":"r"}"""),
        new("POST", "/api/access-requests/req-nope/cancel", R.Dev),
        new("GET", "/api/subscriptions", R.Any),
        new("GET", "/api/subscriptions/sub-nope", R.Any),
        new("POST", "/api/subscriptions/sub-nope/budget-requests", R.Dev, """{"justification":"j","budget":{"monthlyTokens":1}}"""),
        new("POST", "/api/subscriptions/sub-nope/end", R.Admin),
        new("GET", "/api/keys", R.Dev | R.Admin),
        new("GET", "/api/keys/nokey0000000", R.Dev | R.Admin),
        new("POST", "/api/keys", R.Dev, """{"teamId":"team-nope","application":"a","expiresAt":"2001-01-01T00:00:00Z"}"""),
        new("POST", "/api/keys/nokey0000000/rotate", R.Dev, """{"expiresAt":"2001-01-01T00:00:00Z"}"""),
        new("PUT", "/api/keys/nokeynokey00/networks", R.Dev, """{"allowedNetworks":[]}"""),
        new("POST", "/api/keys/nokey0000000/revoke", R.Dev | R.Admin),
        new("GET", "/api/usage/records", R.Dev | R.Finance | R.Admin),
        new("GET", "/api/usage/summary", R.Dev | R.Finance | R.Admin),
        new("GET", "/api/statements", R.Finance | R.Admin),
        new("GET", "/api/statements/2025-01", R.Finance | R.Admin),
        new("POST", "/api/statements/2019-13/close", R.Finance),
        new("POST", "/api/statements/2019-13/adjustments", R.Finance, "{}"),
        new("GET", "/api/audit", R.Admin),
        new("GET", "/api/audit/export", R.Admin),
        new("GET", "/api/audit/verify", R.Admin),
        new("GET", "/api/audit/head", R.Admin),
        new("GET", "/api/proxies", R.Admin),
        new("GET", "/api/snapshot", R.Admin),
        new("GET", "/api/webhooks", R.Admin),
        new("POST", "/api/webhooks/no-such-webhook/test", R.Admin),
    ];

    [Fact]
    public async Task EveryEndpoint_ForEveryRole_IsAllowedOrRefused_AsDesigned()
    {
        fixture.Require();
        var callers = new (string Name, R Roles, string? Token)[]
        {
            ("anonymous", R.None, null),
            ("no-role client", (R)16, await fixture.ClientTokenAsync(TestClients.NoRole)),
            ("developer", R.Dev, await fixture.TokenAsync("dev@demo.bank")),
            ("approver (+developer)", R.Approver | R.Dev, await fixture.TokenAsync("approver@demo.bank")),
            ("finance", R.Finance, await fixture.TokenAsync("finance@demo.bank")),
            ("admin", R.Admin, await fixture.TokenAsync("admin@demo.bank")),
        };
        var mismatches = new List<string>();
        foreach (var (name, roles, token) in callers)
        {
            using var client = fixture.Client(token);
            foreach (var c in Cases)
            {
                using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path);
                if (c.Body is not null) request.Content = new StringContent(c.Body, System.Text.Encoding.UTF8, "application/json");
                using var response = await client.SendAsync(request, Api.Ct);
                var status = response.StatusCode;
                var allowed = (c.Allowed & roles) != 0;
                var ok = token is null ? status == HttpStatusCode.Unauthorized
                    : allowed ? status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500
                    : status == HttpStatusCode.Forbidden;
                if (!ok) mismatches.Add($"{name}: {c.Method} {c.Path} → {(int)status} (expected {(token is null ? "401" : allowed ? "allowed" : "403")})");
            }
        }
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    [Fact]
    public void TheMatrix_HasACaseForEveryApiRoute()
    {
        fixture.Require();
        var routes = fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .ToList();
        Assert.NotEmpty(routes);
        var missing = routes.Where(r => !Cases.Any(c => c.Method == r.Method && Matches(r.Pattern, c.Path))).Select(r => $"{r.Method} {r.Pattern}").ToList();
        Assert.True(missing.Count == 0, "Routes without a case: " + string.Join(", ", missing));
    }

    /// <summary>Whether a case's path (query aside) fits a route pattern, each <c>{parameter}</c> one segment.</summary>
    private static bool Matches(string pattern, string path)
    {
        var segments = pattern.Trim('/').Split('/');
        var parts = path.Split('?')[0].Trim('/').Split('/');
        return segments.Length == parts.Length && segments.Zip(parts).All(p => p.First.StartsWith('{') || p.First == p.Second);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class AuthorizationMatrixTests_Sqlite(SqliteFixture fixture) : AuthorizationMatrixTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class AuthorizationMatrixTests_Postgres(PostgresFixture fixture) : AuthorizationMatrixTests(fixture);
