using System.Net;
using System.Text.Json;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Tests.Infrastructure;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// A model version's content guard through the admin API: kept, returned, audited and published in
/// the snapshot; replaced and removed by the version's PUT; and every malformed guard a 400 naming
/// the field, with nothing stored.
/// </summary>
public abstract class ContentGuardTests(ControlPlaneFixture fixture)
{
    private static readonly ContentGuardSpec Blocking = new(GuardAction.Block, [ContentDetector.PaymentCard, ContentDetector.Iban])
    {
        Patterns = ["(?i)project\\s+falcon"],
    };

    [Fact]
    public async Task AGuard_IsKept_Published_Replaced_AndRemoved()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var (alias, version) = await CreateModelAsync(admin, Blocking);

        var read = await ReadVersionAsync(admin, alias, version);
        AssertGuard(Blocking, read.ContentGuard);
        var published = await SnapshotWatch.WaitForAsync(fixture, s => GuardOf(s, version) is not null);
        AssertGuard(Blocking, GuardOf(published, version));

        // The PUT replaces it, and its audit event holds the guard before and after.
        var redacting = new ContentGuardSpec(GuardAction.Redact, [ContentDetector.Credential]);
        var updated = await (await admin.PutJsonAsync($"/api/models/{alias}/versions/{version}", Lifecycle(read, redacting))).ReadAsync<ModelVersionDto>();
        AssertGuard(redacting, updated.ContentGuard);
        published = await SnapshotWatch.WaitForAsync(fixture, s => GuardOf(s, version) is { Action: GuardAction.Redact });
        AssertGuard(redacting, GuardOf(published, version));
        var audit = await (await admin.Get($"/api/audit?targetId={version}&action=model.version.update")).ReadAsync<PagedResult<AuditEventDto>>();
        var update = Assert.Single(audit.Items);
        Assert.Contains("payment-card", update.Before, StringComparison.Ordinal);
        Assert.DoesNotContain("credential", update.Before, StringComparison.Ordinal);
        Assert.Contains("credential", update.After, StringComparison.Ordinal);

        // A PUT without one removes it.
        var removed = await (await admin.PutJsonAsync($"/api/models/{alias}/versions/{version}", Lifecycle(updated, null))).ReadAsync<ModelVersionDto>();
        Assert.Null(removed.ContentGuard);
        await SnapshotWatch.WaitForAsync(fixture, s => s.Models.Any(m => m.Alias == alias) && GuardOf(s, version) is null);
        Assert.Null((await ReadVersionAsync(admin, alias, version)).ContentGuard);
    }

    [Fact]
    public async Task OnlyPlatformAdmins_ReadWhatThePatternsSay_OthersHowManyThereAre()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var guard = Blocking with { Patterns = ["(?i)project\\s+falcon", "FALCON-[0-9]{4}"] };
        var (alias, version) = await CreateModelAsync(admin, guard);
        using var dev = await fixture.ClientAsAsync("dev@demo.bank");
        var seen = (await (await dev.Get($"/api/models/{alias}")).ReadAsync<ModelDto>()).Versions.Single().ContentGuard!;
        Assert.Equal([ContentGuardRules.HiddenPattern, ContentGuardRules.HiddenPattern], seen.Patterns);
        Assert.Equal(guard.Detectors, seen.Detectors);
        var listed = (await (await dev.Get($"/api/models?search={alias}")).ReadAsync<PagedResult<ModelDto>>()).Items.Single().Versions.Single().ContentGuard!;
        Assert.Equal([ContentGuardRules.HiddenPattern, ContentGuardRules.HiddenPattern], listed.Patterns);
        Assert.Equal(guard.Patterns, (await ReadVersionAsync(admin, alias, version)).ContentGuard!.Patterns);
    }

    [Fact]
    public async Task PatternsOnly_AreAGuard_AndEmptyPatternListsAreNotKept()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var patternsOnly = new ContentGuardSpec(GuardAction.Block, []) { Patterns = ["FALCON-[0-9]{4}"] };
        var (alias, version) = await CreateModelAsync(admin, patternsOnly);
        AssertGuard(patternsOnly, (await ReadVersionAsync(admin, alias, version)).ContentGuard);

        var read = await ReadVersionAsync(admin, alias, version);
        var noPatterns = new ContentGuardSpec(GuardAction.Block, [ContentDetector.Iban]) { Patterns = [] };
        var updated = await (await admin.PutJsonAsync($"/api/models/{alias}/versions/{version}", Lifecycle(read, noPatterns))).ReadAsync<ModelVersionDto>();
        Assert.Null(updated.ContentGuard!.Patterns);
        Assert.Equal([ContentDetector.Iban], updated.ContentGuard.Detectors);
    }

    [Theory]
    [InlineData("""{"action":"block","detectors":[],"patterns":["(unclosed"]}""", "contentGuard.patterns[0]")]
    [InlineData("""{"action":"block","detectors":[],"patterns":["ok","(?<=a)b"]}""", "contentGuard.patterns[1]")]
    [InlineData("""{"action":"block","detectors":[],"patterns":["a*"]}""", "contentGuard.patterns[0]")]
    [InlineData("""{"action":"block","detectors":[],"patterns":[""]}""", "contentGuard.patterns[0]")]
    [InlineData("""{"action":"block","detectors":["iban","iban"]}""", "contentGuard.detectors[1]")]
    [InlineData("""{"action":"block","detectors":[]}""", "contentGuard.detectors")]
    [InlineData("""{"action":"block"}""", "contentGuard.detectors")]
    [InlineData("""{"action":7,"detectors":["iban"]}""", "contentGuard.action")]
    [InlineData("""{"action":"block","detectors":["email"]}""", "contentGuard.detectors[0]")]
    [InlineData("""{"action":"shred","detectors":["iban"]}""", "contentGuard.action")]
    public async Task AMalformedGuard_Is400NamingTheField_AndNothingIsStored(string guard, string field)
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var (alias, version) = await CreateModelAsync(admin, null);
        var read = await ReadVersionAsync(admin, alias, version);
        var body = JsonSerializer.Serialize(Lifecycle(read, null), Api.Json).TrimEnd('}') + $$""","contentGuard":{{guard}}}""";
        await (await admin.SendRawAsync(HttpMethod.Put, $"/api/models/{alias}/versions/{version}", body)).ValidationErrorAsync(field);
        Assert.Null((await ReadVersionAsync(admin, alias, version)).ContentGuard);
        Assert.Equal(read.ConcurrencyStamp, (await ReadVersionAsync(admin, alias, version)).ConcurrencyStamp);

        // A new version with the same guard is refused the same way, under its own path.
        var created = $$"""
            {"name":"{{version}}-b","status":"ga","prices":{"inputPerMillion":1,"cachedInputPerMillion":1,"outputPerMillion":1,"currency":"USD"},
             "deployments":[{"id":"{{version}}-b-d","providerId":"mockllm-openai","upstreamModel":"x"}],"contentGuard":{{guard}}}
            """;
        await (await admin.SendRawAsync(HttpMethod.Post, $"/api/models/{alias}/versions", created)).ValidationErrorAsync(field);
        await (await admin.Get($"/api/models/{alias}")).ReadAsync<ModelDto>().ContinueWith(t => Assert.Single(t.Result.Versions), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task TooManyOrTooLongPatterns_AreRefused()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var (alias, version) = await CreateModelAsync(admin, null);
        var read = await ReadVersionAsync(admin, alias, version);
        var many = new ContentGuardSpec(GuardAction.Block, []) { Patterns = [.. Enumerable.Range(0, ContentGuardRules.MaxPatterns + 1).Select(i => $"P{i}X")] };
        await (await admin.PutJsonAsync($"/api/models/{alias}/versions/{version}", Lifecycle(read, many))).ValidationErrorAsync("contentGuard.patterns");
        var exactly = many with { Patterns = [.. many.Patterns!.Take(ContentGuardRules.MaxPatterns)] };
        Assert.Equal(ContentGuardRules.MaxPatterns, (await (await admin.PutJsonAsync($"/api/models/{alias}/versions/{version}", Lifecycle(read, exactly)))
            .ReadAsync<ModelVersionDto>()).ContentGuard!.Patterns!.Count);
        read = await ReadVersionAsync(admin, alias, version);
        var longOne = new ContentGuardSpec(GuardAction.Block, []) { Patterns = [new string('x', ContentGuardRules.MaxPatternLength + 1)] };
        await (await admin.PutJsonAsync($"/api/models/{alias}/versions/{version}", Lifecycle(read, longOne))).ValidationErrorAsync("contentGuard.patterns[0]");
    }

    [Fact]
    public async Task ARealtimeModel_CannotBeGuarded()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var alias = "rt-guarded-" + Guid.NewGuid().ToString("N")[..8];
        var first = new CreateVersionRequest(alias + "-v1", VersionStatus.Ga, new PriceSpec(1m, 0.5m, 2m, "USD"),
            Deployments: [new CreateDeploymentRequest(alias + "-d", "mockllm-openai", "gpt-4o-realtime")], ContentGuard: Blocking);
        await (await admin.PostJsonAsync("/api/models", new CreateModelRequest(alias, ModelKind.Realtime, first))).ValidationErrorAsync("firstVersion.contentGuard");
        var created = await (await admin.PostJsonAsync("/api/models", new CreateModelRequest(alias, ModelKind.Realtime, first with { ContentGuard = null })))
            .ReadAsync<ModelDto>(HttpStatusCode.Created);
        var read = created.Versions.Single();
        await (await admin.PutJsonAsync($"/api/models/{alias}/versions/{read.Name}", Lifecycle(read, Blocking))).ValidationErrorAsync("contentGuard");
        await (await admin.PostJsonAsync($"/api/models/{alias}/versions", first with { Name = alias + "-v2", Deployments = [new CreateDeploymentRequest(alias + "-d2", "mockllm-openai", "x")] }))
            .ValidationErrorAsync("contentGuard");
        Assert.Null((await ReadVersionAsync(admin, alias, read.Name)).ContentGuard);
    }

    private static UpdateVersionRequest Lifecycle(ModelVersionDto v, ContentGuardSpec? guard) => new(
        v.Status, v.MaxDataClassification, v.DeprecatedAt, v.SunsetAt, v.Successor, v.MaxOutputTokens, v.ContextWindow, v.ConcurrencyStamp, guard);

    private static async Task<(string Alias, string Version)> CreateModelAsync(HttpClient admin, ContentGuardSpec? guard)
    {
        var alias = "guarded-" + Guid.NewGuid().ToString("N")[..8];
        var version = alias + "-v1";
        var first = new CreateVersionRequest(version, VersionStatus.Ga, new PriceSpec(1m, 0.5m, 2m, "USD"),
            Deployments: [new CreateDeploymentRequest(version + "-d", "mockllm-openai", "gpt-4o")], ContentGuard: guard);
        var created = await (await admin.PostJsonAsync("/api/models", new CreateModelRequest(alias, ModelKind.Chat, first))).ReadAsync<ModelDto>(HttpStatusCode.Created);
        AssertGuard(guard, created.Versions.Single().ContentGuard);
        return (alias, version);
    }

    private static async Task<ModelVersionDto> ReadVersionAsync(HttpClient admin, string alias, string version) =>
        (await (await admin.Get($"/api/models/{alias}")).ReadAsync<ModelDto>()).Versions.Single(v => v.Name == version);

    private static ContentGuardSpec? GuardOf(GatewaySnapshot snapshot, string version) =>
        snapshot.Models.SelectMany(m => m.Versions).FirstOrDefault(v => v.Name == version)?.ContentGuard;

    private static void AssertGuard(ContentGuardSpec? expected, ContentGuardSpec? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }
        Assert.NotNull(actual);
        Assert.Equal(expected.Action, actual.Action);
        Assert.Equal(expected.Detectors, actual.Detectors);
        Assert.Equal(expected.Patterns is { Count: > 0 } ? expected.Patterns : null, actual.Patterns);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class ContentGuardTests_Sqlite(SqliteFixture fixture) : ContentGuardTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class ContentGuardTests_Postgres(PostgresFixture fixture) : ContentGuardTests(fixture);
