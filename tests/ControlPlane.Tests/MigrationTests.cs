using Gateway.ControlPlane.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// The migrations of all three providers match the model, and the scripts in <c>db/</c> are what
/// <c>dotnet ef migrations script</c> generates now (idempotent for SQL Server and PostgreSQL;
/// EF cannot make SQLite scripts idempotent). No database server is needed.
/// </summary>
public sealed class MigrationTests
{
    public static TheoryData<string> Providers => ["sqlite", "sqlserver", "postgresql"];

    private static GatewayDbContext Create(string provider) => provider switch
    {
        "sqlite" => new SqliteDesignTimeFactory().CreateDbContext([]),
        "sqlserver" => new SqlServerDesignTimeFactory().CreateDbContext([]),
        _ => new PostgresDesignTimeFactory().CreateDbContext([]),
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Migrations_HaveNoPendingModelChanges(string provider)
    {
        using var db = Create(provider);
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model changed: run `dotnet ef migrations add <Name> --context {db.GetType().Name} --output-dir Data/Migrations/<Provider>` in src/ControlPlane.");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void DbScripts_AreCurrent(string provider)
    {
        using var db = Create(provider);
        var migrator = db.GetService<IMigrator>();
        var expected = migrator.GenerateScript(options: provider == "sqlite" ? MigrationsSqlGenerationOptions.Default : MigrationsSqlGenerationOptions.Idempotent);
        var path = Path.Combine(AppContext.BaseDirectory, "db", provider, "schema.sql");
        Assert.True(File.Exists(path), $"{path} is missing");
        Assert.True(Normalize(expected) == Normalize(File.ReadAllText(path)),
            $"db/{provider}/schema.sql is stale: regenerate it with `dotnet ef migrations script {(provider == "sqlite" ? "" : "--idempotent ")}--context {db.GetType().Name} -o ../../db/{provider}/schema.sql` in src/ControlPlane.");
    }

    private static string Normalize(string script) => script.Replace("\uFEFF", "", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}
