using Gateway.ControlPlane.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.ControlPlane.Features.Usage;

internal sealed class UsageConfiguration :
    IEntityTypeConfiguration<UsageEntry>, IEntityTypeConfiguration<UsageHourly>, IEntityTypeConfiguration<UsageQuarantine>
{
    public void Configure(EntityTypeBuilder<UsageEntry> builder)
    {
        builder.ToTable("UsageLedger");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.RequestId).HasMaxLength(128);
        builder.HasIndex(u => u.RequestId).IsUnique();
        builder.Property(u => u.ProxyNode).HasMaxLength(128);
        builder.Property(u => u.KeyId).HasMaxLength(64);
        builder.Property(u => u.TeamId).HasMaxLength(128);
        builder.Property(u => u.CostCentre).HasMaxLength(64);
        builder.Property(u => u.SubscriptionId).HasMaxLength(128);
        builder.Property(u => u.ModelAlias).HasMaxLength(128);
        builder.Property(u => u.ModelVersion).HasMaxLength(128);
        builder.Property(u => u.DeploymentId).HasMaxLength(128);
        builder.Property(u => u.ProviderId).HasMaxLength(128);
        builder.Property(u => u.Operation).HasMaxLength(32);
        builder.Property(u => u.Currency).HasMaxLength(3);
        builder.Property(u => u.Outcome).HasMaxLength(32);
        builder.Property(u => u.BillingPeriod).HasMaxLength(7);
        builder.Property(u => u.Cost).HasPrecision(Money.LedgerPrecision, Money.LedgerScale);
        builder.HasIndex(u => new { u.BillingPeriod, u.CostCentre });
        builder.HasIndex(u => new { u.TeamId, u.Timestamp });
        builder.HasIndex(u => new { u.KeyId, u.Timestamp }); // a key's last use; keys unused since
        builder.HasIndex(u => u.Timestamp);
    }

    public void Configure(EntityTypeBuilder<UsageHourly> builder)
    {
        builder.ToTable("UsageHourly");
        builder.HasKey(u => new { u.HourStart, u.TeamId, u.SubscriptionId, u.ModelVersion, u.Currency });
        builder.Property(u => u.TeamId).HasMaxLength(128);
        builder.Property(u => u.SubscriptionId).HasMaxLength(128);
        builder.Property(u => u.ModelVersion).HasMaxLength(128);
        builder.Property(u => u.Currency).HasMaxLength(3);
        builder.Property(u => u.CostCentre).HasMaxLength(64);
        builder.Property(u => u.Cost).HasPrecision(Money.LedgerPrecision, Money.LedgerScale);
        builder.HasIndex(u => new { u.SubscriptionId, u.HourStart });
    }

    public void Configure(EntityTypeBuilder<UsageQuarantine> builder)
    {
        builder.ToTable("UsageQuarantine");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.BatchId).HasMaxLength(256);
        builder.Property(u => u.NodeId).HasMaxLength(128);
        builder.Property(u => u.Reason).HasMaxLength(1000);
    }
}
