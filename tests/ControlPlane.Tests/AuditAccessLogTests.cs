using Gateway.ControlPlane.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// Every access to the audit log (list, export, verify, head) is itself logged with who and what
/// (event 510), as a bank's audit controls ask; a refused caller reads nothing and logs nothing.
/// </summary>
[Collection(AuditAccessLogCollection.Name)]
public sealed class AuditAccessLogTests(LoggingSqliteFixture fixture)
{
    [Fact]
    public async Task EveryReadOfTheAuditLog_IsLoggedWithItsReaderAndFilters()
    {
        fixture.Require();
        var logs = fixture.App.Services.GetRequiredService<FakeLogCollector>();
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        using var dev = await fixture.ClientAsAsync("dev@demo.bank");
        var adminId = (await (await admin.Get("/api/me")).ReadAsync<Contracts.Admin.MeDto>()).UserId;
        logs.Clear();

        foreach (var path in new[] { "/api/audit?action=team.&pageSize=5", "/api/audit/export?format=csv&targetType=team", "/api/audit/verify", "/api/audit/head" })
            (await admin.Get(path)).EnsureSuccessStatusCode();
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await dev.Get("/api/audit")).StatusCode);

        var reads = logs.GetSnapshot().Where(r => r.Id.Id == 510).ToList();
        Assert.Equal(4, reads.Count);
        Assert.All(reads, r => Assert.Equal(LogLevel.Information, r.Level));
        Assert.All(reads, r => Assert.Contains(adminId, r.Message, StringComparison.Ordinal));
        Assert.Contains(reads, r => r.Message.EndsWith("/api/audit?action=team.&pageSize=5", StringComparison.Ordinal));
        Assert.Contains(reads, r => r.Message.EndsWith("/api/audit/export?format=csv&targetType=team", StringComparison.Ordinal));
        Assert.Contains(reads, r => r.Message.EndsWith("/api/audit/verify", StringComparison.Ordinal));
        Assert.Contains(reads, r => r.Message.EndsWith("/api/audit/head", StringComparison.Ordinal));
    }
}

/// <summary>SQLite, with the host's logs collected.</summary>
public sealed class LoggingSqliteFixture() : ConfiguredSqliteFixture(new KeyValuePair<string, string?>("Logging:LogLevel:Gateway.ControlPlane", "Information"))
{
    protected override void Configure(WebApplicationBuilder builder) => builder.Logging.AddFakeLogging();
}

[CollectionDefinition(Name)]
public sealed class AuditAccessLogCollection : ICollectionFixture<LoggingSqliteFixture>
{
    public const string Name = "ControlPlane on SQLite, logs collected";
}
