using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Tests.Infrastructure;

namespace Gateway.ControlPlane.Tests;

/// <summary>Bad input gets a ProblemDetails naming the field (400/404/409/413), never a 500.</summary>
public abstract class BadInputTests(ControlPlaneFixture fixture)
{
    [Theory]
    [InlineData("/api/teams/team-nope")]
    [InlineData("/api/models/no-such-model")]
    [InlineData("/api/providers/no-such-provider")]
    [InlineData("/api/access-requests/req-nope")]
    [InlineData("/api/subscriptions/sub-nope")]
    [InlineData("/api/keys/nokey0000000")]
    public async Task UnknownIds_Are404Problems(string path)
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        await (await admin.Get(path)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task NegativeLimits_AreNamed()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        await (await admin.PostJsonAsync("/api/teams", new CreateTeamRequest("team-neg", "Neg", "CC-N", new LimitSpec(-1, 0))))
            .ValidationErrorAsync("limits.requestsPerMinute");
    }

    [Fact]
    public async Task Prices_WithTooManyDecimals_AreNamed()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var response = await admin.PutJsonAsync("/api/models/gpt-4o/versions/gpt-4o-2024-08-06/prices", new UpdatePricesRequest(new PriceSpec(2.1234567m, 1m, -1m, "usd")));
        await response.ValidationErrorAsync("prices.inputPerMillion");
        var body = await (await admin.PutJsonAsync("/api/models/gpt-4o/versions/gpt-4o-2024-08-06/prices", new UpdatePricesRequest(new PriceSpec(2.1234567m, 1m, -1m, "usd"))))
            .ProblemAsync(HttpStatusCode.BadRequest);
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty("prices.outputPerMillion", out _));
        Assert.True(errors.TryGetProperty("prices.currency", out _));
    }

    [Fact]
    public async Task InvalidEnumStrings_AndMalformedJson_Are400_NamingTheField()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        await (await admin.SendRawAsync(HttpMethod.Post, "/api/providers", """{"id":"p-x","kind":"carrier-pigeon","baseUrl":"http://x"}""")).ValidationErrorAsync("kind");
        await (await admin.SendRawAsync(HttpMethod.Post, "/api/providers", """{"id":"p-x","kind":"openai","baseUrl":""")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.SendRawAsync(HttpMethod.Post, "/api/teams", """{"id":"t","name":"n","costCentre":"c","limits":{"requestsPerMinute":"lots"}}""")).ValidationErrorAsync("limits.requestsPerMinute");
        await (await admin.Get("/api/keys?status=lost")).ValidationErrorAsync("status");
        await (await admin.Get("/api/teams?page=abc")).ValidationErrorAsync("page");
        await (await admin.Get("/api/teams?pageSize=1000")).ValidationErrorAsync("pageSize");
        await (await admin.Get("/api/teams?sort=secret")).ValidationErrorAsync("sort");
        await (await admin.Get("/api/teams?order=sideways")).ValidationErrorAsync("order");
        // The summary's default 'from' is 31 days before 'to': computing it for a 'to' in year 1 threw, a 500.
        Assert.Equal(HttpStatusCode.OK, (await admin.Get("/api/usage/summary?to=0001-01-05T00:00:00Z")).StatusCode);
        await (await admin.Get("/api/usage/summary?to=0001-01-01T00:00:00Z")).ValidationErrorAsync("to");
    }

    [Fact]
    public async Task ControlCharacters_InABodyThePathOrTheQuery_Are400_NamingTheField()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        // PostgreSQL refused the NUL of this lookup, and the caller got a 500.
        await (await admin.SendRawAsync(HttpMethod.Put, "/api/teams/team-risk/members", """{"email":"dev\u0000@demo.bank","role":"member"}""")).ValidationErrorAsync("email");
        await (await admin.SendRawAsync(HttpMethod.Post, "/api/teams", """{"id":"t-bell","name":"Bell\u0007","costCentre":"CC-B"}""")).ValidationErrorAsync("name");
        await (await admin.SendRawAsync(HttpMethod.Post, "/api/models", """
            {"alias":"m-esc","kind":"chat","firstVersion":{"name":"v1","status":"ga","prices":{"inputPerMillion":1,"cachedInputPerMillion":1,"outputPerMillion":1,"currency":"USD"},
             "deployments":[{"id":"d1","providerId":"mockllm-openai","upstreamModel":"x"},{"id":"d\u001b[31m","providerId":"mockllm-openai","upstreamModel":"x"}]}}
            """)).ValidationErrorAsync("firstVersion.deployments[1].id");
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Get("/api/teams/team%00demo")).StatusCode); // Kestrel's own refusal
        await (await admin.Get("/api/teams/team%07demo")).ValidationErrorAsync("request");
        await (await admin.Get("/api/keys?teamId=%01")).ValidationErrorAsync("request");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Get("/api/teams/t-bell")).StatusCode); // nothing was stored

        // Tabs and line breaks are text.
        var id = "t-tab-" + Guid.NewGuid().ToString("N")[..6];
        var team = await (await admin.SendRawAsync(HttpMethod.Post, "/api/teams", $$"""{"id":"{{id}}","name":"Tab\there","costCentre":"CC-T"}""")).ReadAsync<TeamDto>(HttpStatusCode.Created);
        Assert.Equal("Tab\there", team.Name);
    }

    [Fact]
    public async Task OversizedPayload_Is413Problem()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var huge = new string('x', 2 * 1024 * 1024);
        await (await admin.SendRawAsync(HttpMethod.Post, "/api/teams", $$"""{"id":"t-big","name":"{{huge}}","costCentre":"c"}""")).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task ProviderCredential_MustBeAReference_NeverASecret()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        await (await admin.PostJsonAsync("/api/providers", new CreateProviderRequest("p-secret", ProviderKind.OpenAI, "https://api.openai.com", "sk-live-abc123")))
            .ValidationErrorAsync("credentialRef");
        var created = await (await admin.PostJsonAsync("/api/providers", new CreateProviderRequest("p-ok-" + Guid.NewGuid().ToString("N")[..6], ProviderKind.OpenAI, "https://api.openai.com", "env:OPENAI_KEY")))
            .ReadAsync<ProviderDto>(HttpStatusCode.Created);
        Assert.Equal("env:OPENAI_KEY", created.CredentialRef);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class BadInputTests_Sqlite(SqliteFixture fixture) : BadInputTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class BadInputTests_Postgres(PostgresFixture fixture) : BadInputTests(fixture);
