using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.ControlPlane.Data;

/// <summary>SQLite (the default run). Row versions are a counter bumped on every update (see <see cref="SaveChangesAsync(bool, CancellationToken)"/>).</summary>
internal sealed class SqliteGatewayDbContext(DbContextOptions<SqliteGatewayDbContext> options) : GatewayDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void ConfigureRowVersion<T>(EntityTypeBuilder<T> entity) =>
        entity.Property<long>(RowVersion).IsConcurrencyToken().HasDefaultValue(0L);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no decimal and no time type: money as integer micro-units (exact, sortable,
        // summable in SQL), instants as UTC ticks (sortable, comparable in SQL).
        configurationBuilder.Properties<decimal>().HaveConversion<ModelConverters.MicroUnits>();
        configurationBuilder.Properties<decimal?>().HaveConversion<ModelConverters.MicroUnits>();
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<ModelConverters.UtcTicks>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<ModelConverters.UtcTicks>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Ledger amounts (decimal(28,12), see Money) as pico-units instead of micro-units.
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.ClrType == typeof(decimal) && property.GetScale() == Money.LedgerScale)
                    property.SetValueConverter(new ModelConverters.PicoUnits());
            }
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpRowVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpRowVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void BumpRowVersions()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State != EntityState.Modified || entry.Metadata.FindProperty(RowVersion) is null) continue;
            var property = entry.Property(RowVersion);
            property.CurrentValue = (long)(property.OriginalValue ?? 0L) + 1;
        }
    }
}

/// <summary>SQL Server (production's first choice): <c>rowversion</c> columns.</summary>
internal sealed class SqlServerGatewayDbContext(DbContextOptions<SqlServerGatewayDbContext> options) : GatewayDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;

    protected override void ConfigureRowVersion<T>(EntityTypeBuilder<T> entity) =>
        entity.Property<byte[]>(RowVersion).IsRowVersion();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<ModelConverters.ToUtc>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<ModelConverters.ToUtc>();
    }
}

/// <summary>PostgreSQL: the system column <c>xmin</c> is the row version.</summary>
internal sealed class PostgresGatewayDbContext(DbContextOptions<PostgresGatewayDbContext> options) : GatewayDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    protected override void ConfigureRowVersion<T>(EntityTypeBuilder<T> entity) =>
        entity.Property<uint>(RowVersion).IsRowVersion();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // timestamptz accepts only UTC offsets: normalise whatever a caller sent.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<ModelConverters.ToUtc>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<ModelConverters.ToUtc>();
    }
}
