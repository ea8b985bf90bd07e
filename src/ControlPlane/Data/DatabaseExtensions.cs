using Gateway.ControlPlane.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Data;

internal static class DatabaseExtensions
{
    /// <summary>Registers <see cref="GatewayDbContext"/> for the configured provider.</summary>
    public static WebApplicationBuilder AddGatewayDatabase(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ControlPlaneOptions.Section).Get<ControlPlaneOptions>() ?? new();
        var connectionString = builder.Configuration.GetConnectionString("Gateway");
        switch (options.Database.Provider)
        {
            case DatabaseProvider.Sqlite:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    Directory.CreateDirectory(Path.GetFullPath(options.DataDirectory));
                    connectionString = $"Data Source={options.DataPath("controlplane.db")};Cache=Shared";
                }
                builder.Services.AddDbContext<GatewayDbContext, SqliteGatewayDbContext>(o => o.UseSqlite(connectionString));
                break;
            case DatabaseProvider.SqlServer:
                builder.Services.AddDbContext<GatewayDbContext, SqlServerGatewayDbContext>(o => o.UseSqlServer(Required(connectionString)));
                break;
            case DatabaseProvider.PostgreSql:
                builder.Services.AddDbContext<GatewayDbContext, PostgresGatewayDbContext>(o => o.UseNpgsql(Required(connectionString)));
                break;
            default:
                throw new InvalidOperationException($"ControlPlane:Database:Provider '{options.Database.Provider}' is not one of Sqlite, SqlServer, PostgreSql.");
        }
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>Applies migrations (when configured) and prepares SQLite for concurrent use.</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, bool migrate, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        if (migrate) await db.Database.MigrateAsync(cancellationToken);
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            // WAL: readers (the snapshot poller) never wait for a writer.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    private static string Required(string? connectionString) =>
        string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException("ConnectionStrings:Gateway is required for SqlServer and PostgreSql.")
            : connectionString;
}
