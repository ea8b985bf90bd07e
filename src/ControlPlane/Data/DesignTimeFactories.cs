using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gateway.ControlPlane.Data;

// `dotnet ef migrations add <Name> --context <X>GatewayDbContext --output-dir Data/Migrations/<X>`
// uses these: no server is contacted to add a migration or generate a script.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteGatewayDbContext>
{
    public SqliteGatewayDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteGatewayDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerGatewayDbContext>
{
    public SqlServerGatewayDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerGatewayDbContext>().UseSqlServer("Server=design;Database=gateway;Trusted_Connection=True").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresGatewayDbContext>
{
    public PostgresGatewayDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresGatewayDbContext>().UseNpgsql("Host=design;Database=gateway").Options);
}
