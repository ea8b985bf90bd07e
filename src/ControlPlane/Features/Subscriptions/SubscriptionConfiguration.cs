using Gateway.ControlPlane.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.ControlPlane.Features.Subscriptions;

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(128);
        builder.Property(s => s.TeamId).HasMaxLength(128);
        builder.Property(s => s.ModelAlias).HasMaxLength(128);
        builder.Property(s => s.PinnedVersion).HasMaxLength(128);
        builder.Property(s => s.Currency).HasMaxLength(3);
        builder.Property(s => s.MonthlyAmount).HasPrecision(Money.Precision, Money.Scale);
        builder.Property(s => s.OverLimit).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.ApprovedBy).HasMaxLength(450);
        builder.Property(s => s.AccessRequestId).HasMaxLength(64);
        builder.HasIndex(s => new { s.TeamId, s.ModelAlias });
        builder.HasOne<Teams.Team>().WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Catalog.Model>().WithMany().HasForeignKey(s => s.ModelAlias).OnDelete(DeleteBehavior.Restrict);
    }
}
