using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Demo;
using Gateway.ControlPlane.Tests.Infrastructure;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// A key's last use (the time of its latest request in the ledger), in the key's record and in the
/// list, and the keys unused for some days (<c>unusedForDays</c>): what a team or an admin needs to
/// find keys to revoke. On a control plane of its own, since it ships usage.
/// </summary>
public abstract class KeyLastUseTests(ControlPlaneFixture fixture)
{
    [Fact]
    public async Task AKeysLastRequest_IsItsLastUse_AndKeysUnusedForDaysCanBeListed()
    {
        fixture.Require();
        using var dev = await fixture.ClientAsAsync("dev@demo.bank");
        var used = await CreateAsync(dev, "used-app");
        var idle = await CreateAsync(dev, "idle-app");
        var now = DateTimeOffset.UtcNow;
        var earlier = now.AddDays(-3);
        var latest = now.AddHours(-2);

        await UsageShipping.ShipAsync(fixture, UsageShipping.Batch(
            UsageShipping.Record(DemoCatalog.TeamId, latest, 0.01m) with { KeyId = used.KeyId },
            UsageShipping.Record(DemoCatalog.TeamId, earlier, 0.01m) with { KeyId = used.KeyId }));

        var read = await (await dev.Get($"/api/keys/{used.KeyId}")).ReadAsync<ApiKeyDto>();
        Assert.Equal(latest.UtcTicks / 10, read.LastUsedAt?.UtcTicks / 10); // kept to the microsecond
        Assert.Null((await (await dev.Get($"/api/keys/{idle.KeyId}")).ReadAsync<ApiKeyDto>()).LastUsedAt);

        var listed = (await (await dev.Get($"/api/keys?teamId={DemoCatalog.TeamId}&pageSize=200")).ReadAsync<PagedResult<ApiKeyDto>>()).Items;
        Assert.Equal(read.LastUsedAt, listed.Single(k => k.KeyId == used.KeyId).LastUsedAt);
        Assert.Null(listed.Single(k => k.KeyId == idle.KeyId).LastUsedAt);

        // Unused for a day: the idle key, not the one used two hours ago; nor for a week.
        var unusedForADay = await UnusedAsync(dev, 1);
        Assert.Contains(idle.KeyId, unusedForADay);
        Assert.DoesNotContain(used.KeyId, unusedForADay);
        var unusedForAWeek = await UnusedAsync(dev, 7);
        Assert.DoesNotContain(used.KeyId, unusedForAWeek);
        await (await dev.Get("/api/keys?unusedForDays=0")).ValidationErrorAsync("unusedForDays");

        var revoked = await (await dev.PostAsync(new Uri($"/api/keys/{used.KeyId}/revoke", UriKind.Relative), null, Api.Ct)).ReadAsync<ApiKeyDto>();
        Assert.Equal(read.LastUsedAt, revoked.LastUsedAt);
    }

    private static async Task<ApiKeyDto> CreateAsync(HttpClient dev, string application) =>
        (await (await dev.PostJsonAsync("/api/keys", new CreateApiKeyRequest(DemoCatalog.TeamId, application, DateTimeOffset.UtcNow.AddDays(30))))
            .ReadAsync<CreatedApiKeyDto>(HttpStatusCode.Created)).Details;

    private static async Task<List<string>> UnusedAsync(HttpClient dev, int days) =>
        [.. (await (await dev.Get($"/api/keys?teamId={DemoCatalog.TeamId}&pageSize=200&unusedForDays={days}")).ReadAsync<PagedResult<ApiKeyDto>>()).Items.Select(k => k.KeyId)];
}

public sealed class KeyLastUseSqliteFixture() : ConfiguredSqliteFixture;

public sealed class KeyLastUsePostgresFixture() : ConfiguredPostgresFixture;

[CollectionDefinition(Name)]
public sealed class KeyLastUseSqliteCollection : ICollectionFixture<KeyLastUseSqliteFixture>
{
    public const string Name = "ControlPlane on SQLite, for keys' last use";
}

[CollectionDefinition(Name)]
public sealed class KeyLastUsePostgresCollection : ICollectionFixture<KeyLastUsePostgresFixture>
{
    public const string Name = "ControlPlane on PostgreSQL, for keys' last use";
}

[Collection(KeyLastUseSqliteCollection.Name)]
public sealed class KeyLastUseTests_Sqlite(KeyLastUseSqliteFixture fixture) : KeyLastUseTests(fixture);

[Collection(KeyLastUsePostgresCollection.Name)]
public sealed class KeyLastUseTests_Postgres(KeyLastUsePostgresFixture fixture) : KeyLastUseTests(fixture);
