using System.Security.Cryptography;
using Gateway.ControlPlane;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Integration.Tests.Deployment;

/// <summary>
/// SQL Server is the production default: the control plane built in the Production environment
/// from its own content root (src/ControlPlane, so its real appsettings files) uses SQL Server
/// (and holds catalog and provider changes for a second platform admin) without being told, and cannot open its database without a connection string; the default run stays on SQLite.
/// Nothing connects: the tests only resolve the database context.
/// </summary>
public sealed class ControlPlaneDatabaseDefaultsTests : IDisposable
{
    private static readonly string ContentRoot = Path.Combine(RepositoryFiles.Root, "src", "ControlPlane");

    private readonly string _keys = Directory.CreateTempSubdirectory("cp-defaults-keys-").FullName;

    [Fact]
    public async Task InProduction_TheControlPlaneUsesSqlServer_WithoutBeingTold()
    {
        await using var app = Build("Production", ProductionKeys(new() { ["ConnectionStrings:Gateway"] = "Server=sqlserver,1433;Database=gateway;User Id=gateway;Password=unused;Encrypt=True" }));

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        Assert.IsType<SqlServerGatewayDbContext>(db);
        Assert.Equal(DatabaseProvider.SqlServer, db.Provider);
        // Four eyes on the catalog and the providers, without being told either.
        Assert.True(app.Services.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.ChangeControl.RequireSecondAdmin);
    }

    [Fact]
    public async Task InProduction_WithoutAConnectionString_TheDatabaseCannotBeOpened_AndTheErrorNamesTheSetting()
    {
        await using var app = Build("Production", ProductionKeys(new()));

        await using var scope = app.Services.CreateAsyncScope();
        var error = Assert.Throws<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<GatewayDbContext>().Database.GetDbConnection());
        Assert.Contains("ConnectionStrings:Gateway is required for SqlServer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDefaultRun_StaysOnSqlite()
    {
        var directory = Directory.CreateTempSubdirectory("cp-defaults-").FullName;
        try
        {
            await using (var app = Build("Development", new() { ["ControlPlane:DataDirectory"] = directory }))
            {
                await using var scope = app.Services.CreateAsyncScope();
                Assert.Equal(DatabaseProvider.Sqlite, scope.ServiceProvider.GetRequiredService<GatewayDbContext>().Provider);
                Assert.False(app.Services.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.ChangeControl.RequireSecondAdmin);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(_keys, recursive: true);

    /// <summary>Production needs the OIDC key files (the default run generates them); fresh ones here.</summary>
    private Dictionary<string, string?> ProductionKeys(Dictionary<string, string?> settings)
    {
        foreach (var (setting, file) in new[] { ("ControlPlane:Identity:SigningKeyFile", "oidc-signing.pem"), ("ControlPlane:Identity:EncryptionKeyFile", "oidc-encryption.pem") })
        {
            using var rsa = RSA.Create(2048);
            var path = Path.Combine(_keys, file);
            File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
            settings[setting] = path;
        }
        return settings;
    }

    private static WebApplication Build(string environment, Dictionary<string, string?> settings) =>
        ControlPlaneApp.Build(["--environment", environment, "--contentRoot", ContentRoot], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
        });
}
