using Gateway.ControlPlane;
using Gateway.ControlPlane.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Integration.Tests.Deployment;

/// <summary>
/// SQL Server is the production default: the control plane built in the Production environment
/// from its own content root (src/ControlPlane, so its real appsettings files) uses SQL Server
/// without being told, and refuses to build without a connection string; the default run stays on SQLite.
/// </summary>
public sealed class ControlPlaneDatabaseDefaultsTests
{
    private static readonly string ContentRoot = Path.Combine(RepositoryFiles.Root, "src", "ControlPlane");

    [Fact]
    public async Task InProduction_TheControlPlaneUsesSqlServer_WithoutBeingTold()
    {
        await using var app = Build("Production", new() { ["ConnectionStrings:Gateway"] = "Server=sqlserver,1433;Database=gateway;User Id=gateway;Password=unused;Encrypt=True" });

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        Assert.IsType<SqlServerGatewayDbContext>(db);
        Assert.Equal(DatabaseProvider.SqlServer, db.Provider);
    }

    [Fact]
    public void InProduction_WithoutAConnectionString_TheControlPlaneRefusesToStart_NamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build("Production", new()));
        Assert.Contains("ConnectionStrings:Gateway", error.Message, StringComparison.Ordinal);
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
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static WebApplication Build(string environment, Dictionary<string, string?> settings) =>
        ControlPlaneApp.Build(["--environment", environment, "--contentRoot", ContentRoot], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
        });
}
