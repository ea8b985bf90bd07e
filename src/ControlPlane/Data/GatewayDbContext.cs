using Gateway.ControlPlane.Features.AccessRequests;
using Gateway.ControlPlane.Features.ApiKeys;
using Gateway.ControlPlane.Features.Audit;
using Gateway.ControlPlane.Features.Catalog;
using Gateway.ControlPlane.Features.Chargeback;
using Gateway.ControlPlane.Features.Identity;
using Gateway.ControlPlane.Features.Providers;
using Gateway.ControlPlane.Features.ProxyNodes;
using Gateway.ControlPlane.Features.Subscriptions;
using Gateway.ControlPlane.Features.Teams;
using Gateway.ControlPlane.Features.Usage;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.ControlPlane.Data;

/// <summary>
/// The system of record. One model for every provider; each provider has a subclass that owns
/// its migrations and maps the row version its own way (<see cref="ConfigureRowVersion"/>).
/// Handlers use this type directly (no repositories).
/// </summary>
internal abstract partial class GatewayDbContext(DbContextOptions options) : IdentityDbContext<GatewayUser>(options)
{
    /// <summary>Name of the shadow concurrency token on versioned entities.</summary>
    public const string RowVersion = "RowVersion";

    /// <summary>
    /// A change that bumps the snapshot revision has committed through this context: wakes this
    /// replica's snapshot publisher (from the application's services; none outside a host, e.g. design time).
    /// </summary>
    internal void RevisionCommitted() =>
        this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?
            .GetService<Features.Snapshots.RevisionSignal>()?.Notify();

    /// <summary>Set by change control around a handler it rehearses or applies (null: commit as usual).</summary>
    internal ChangeGate? Gate { get; set; }

    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<Provider> Providers => Set<Provider>();
    public DbSet<Model> Models => Set<Model>();
    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();
    public DbSet<Deployment> Deployments => Set<Deployment>();
    public DbSet<AccessRequest> AccessRequests => Set<AccessRequest>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ApiKeySubscription> ApiKeySubscriptions => Set<ApiKeySubscription>();
    public DbSet<UsageEntry> UsageEntries => Set<UsageEntry>();
    public DbSet<UsageHourly> UsageHourly => Set<UsageHourly>();
    public DbSet<UsageQuarantine> UsageQuarantine => Set<UsageQuarantine>();
    public DbSet<ClosedPeriod> ClosedPeriods => Set<ClosedPeriod>();
    public DbSet<StatementLine> StatementLines => Set<StatementLine>();
    public DbSet<Adjustment> Adjustments => Set<Adjustment>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<ProxyNode> ProxyNodes => Set<ProxyNode>();
    public DbSet<SystemCounter> SystemCounters => Set<SystemCounter>();
    public DbSet<Features.ChangeControl.ProposedChange> ProposedChanges => Set<Features.ChangeControl.ProposedChange>();
    public DbSet<Features.Notifications.WebhookCursor> WebhookCursors => Set<Features.Notifications.WebhookCursor>();

    /// <summary>Which provider this context talks to.</summary>
    public abstract DatabaseProvider Provider { get; }

    /// <summary>Maps the shadow <see cref="RowVersion"/> property the provider's way.</summary>
    protected abstract void ConfigureRowVersion<T>(EntityTypeBuilder<T> entity) where T : class;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        builder.ApplyConfigurationsFromAssembly(typeof(GatewayDbContext).Assembly, t => t.Namespace?.StartsWith("Gateway.ControlPlane.Features", StringComparison.Ordinal) == true);

        ConfigureRowVersion(builder.Entity<Team>());
        ConfigureRowVersion(builder.Entity<Provider>());
        ConfigureRowVersion(builder.Entity<ModelVersion>());
        ConfigureRowVersion(builder.Entity<AccessRequest>());
        ConfigureRowVersion(builder.Entity<Subscription>());
        ConfigureRowVersion(builder.Entity<ApiKey>());

        builder.Entity<SystemCounter>(e =>
        {
            e.ToTable("SystemCounters");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(32);
            e.Property(x => x.Text).HasMaxLength(128);
            e.HasData(
                new SystemCounter { Name = SystemCounter.Revision, Value = 1 },
                new SystemCounter { Name = SystemCounter.Audit, Value = 0, Text = Features.Audit.AuditChain.GenesisHash },
                new SystemCounter { Name = SystemCounter.Billing, Value = 0 },
                new SystemCounter { Name = SystemCounter.UsageMark, Value = 0 });
        });
    }
}

/// <summary>The database providers the control plane runs on.</summary>
internal enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}
