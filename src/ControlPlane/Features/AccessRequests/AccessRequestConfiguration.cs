using Gateway.ControlPlane.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.ControlPlane.Features.AccessRequests;

internal sealed class AccessRequestConfiguration : IEntityTypeConfiguration<AccessRequest>
{
    public void Configure(EntityTypeBuilder<AccessRequest> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(64);
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.DataClassification).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.TeamId).HasMaxLength(128);
        builder.Property(r => r.ModelAlias).HasMaxLength(128);
        builder.Property(r => r.SubscriptionId).HasMaxLength(128);
        builder.Property(r => r.Justification).HasMaxLength(2000);
        builder.Property(r => r.Currency).HasMaxLength(3);
        builder.Property(r => r.MonthlyAmount).HasPrecision(Money.Precision, Money.Scale);
        builder.Property(r => r.RequestedBy).HasMaxLength(450);
        builder.Property(r => r.RequestedByName).HasMaxLength(256);
        builder.Property(r => r.DecidedBy).HasMaxLength(450);
        builder.Property(r => r.DecidedByName).HasMaxLength(256);
        builder.Property(r => r.DecisionReason).HasMaxLength(2000);
        builder.Property(r => r.ResultSubscriptionId).HasMaxLength(128);
        builder.HasIndex(r => new { r.Status, r.RequestedAt });
        builder.HasIndex(r => r.TeamId);
        builder.HasOne<Teams.Team>().WithMany().HasForeignKey(r => r.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
