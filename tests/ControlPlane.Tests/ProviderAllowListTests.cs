using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Tests.Infrastructure;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// <c>ControlPlane:Providers:AllowedHosts</c>: an admin cannot point a provider (and with it the
/// credential it names, and every prompt routed to it) at a host outside the list; the answer is a
/// 400 on <c>baseUrl</c>, and nothing changes.
/// </summary>
[Collection(ProviderAllowListCollection.Name)]
public sealed class ProviderAllowListTests(AllowListSqliteFixture fixture)
{
    [Fact]
    public async Task AProviderOnAHostOutsideTheList_IsRefused_OnCreateAndOnUpdate_AndNothingChanges()
    {
        fixture.Require();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var id = "p-" + Guid.NewGuid().ToString("N")[..8];
        var before = (await (await admin.Get("/api/audit/head")).ReadAsync<AuditHeadDto>()).Sequence;

        await (await admin.PostJsonAsync("/api/providers", new CreateProviderRequest(id, ProviderKind.OpenAI, "https://evil.example/v1", "env:OPENAI_API_KEY")))
            .ValidationErrorAsync("baseUrl");
        await (await admin.PostJsonAsync("/api/providers", new CreateProviderRequest(id, ProviderKind.OpenAI, "https://api.openai.com.evil.example", "env:OPENAI_API_KEY")))
            .ValidationErrorAsync("baseUrl");
        // An allowed host over plain HTTP: the key would cross the network in clear.
        await (await admin.PostJsonAsync("/api/providers", new CreateProviderRequest(id, ProviderKind.OpenAI, "http://api.openai.com", "env:OPENAI_API_KEY")))
            .ValidationErrorAsync("baseUrl");
        Assert.Equal(before, (await (await admin.Get("/api/audit/head")).ReadAsync<AuditHeadDto>()).Sequence);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Get($"/api/providers/{id}")).StatusCode);

        var created = await (await admin.PostJsonAsync("/api/providers", new CreateProviderRequest(id, ProviderKind.AzureOpenAI, "https://bank-eu.openai.azure.com", "env:AZURE_KEY", "2024-10-21")))
            .ReadAsync<ProviderDto>(HttpStatusCode.Created);
        var problem = await (await admin.PutJsonAsync($"/api/providers/{id}", new UpdateProviderRequest(ProviderKind.AzureOpenAI, "http://169.254.169.254", "env:AZURE_KEY", "2024-10-21")))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("169.254.169.254", problem.GetProperty("errors").GetProperty("baseUrl")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(created.BaseUrl, (await (await admin.Get($"/api/providers/{id}")).ReadAsync<ProviderDto>()).BaseUrl);
    }

    [Fact]
    public async Task APatternThatIsNotAHost_StopsTheStart()
    {
        await using var bad = new ConfiguredSqliteFixture(
            new("ControlPlane:Providers:AllowedHosts:0", "api.openai.com"), new("ControlPlane:Providers:AllowedHosts:1", "https://api.anthropic.com"));
        var error = await Record.ExceptionAsync(() => bad.InitializeAsync().AsTask());
        Assert.NotNull(error);
        Assert.Contains("ControlPlane:Providers:AllowedHosts:1", error.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>SQLite with a provider host allow-list.</summary>
public sealed class AllowListSqliteFixture() : ConfiguredSqliteFixture(
    new("ControlPlane:Providers:AllowedHosts:0", "api.openai.com"), new("ControlPlane:Providers:AllowedHosts:1", "*.openai.azure.com"),
    new("ControlPlane:Providers:AllowedHosts:2", "http://127.0.0.1"));

[CollectionDefinition(Name)]
public sealed class ProviderAllowListCollection : ICollectionFixture<AllowListSqliteFixture>
{
    public const string Name = "ControlPlane on SQLite, with a provider host allow-list";
}
