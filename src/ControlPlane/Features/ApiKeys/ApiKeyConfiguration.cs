using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.ControlPlane.Features.ApiKeys;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>, IEntityTypeConfiguration<ApiKeySubscription>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.HasKey(k => k.KeyId);
        builder.Property(k => k.KeyId).HasMaxLength(12).IsFixedLength();
        builder.Property(k => k.Hash).HasMaxLength(64).IsFixedLength();
        builder.Property(k => k.DisplayPrefix).HasMaxLength(32);
        builder.Property(k => k.TeamId).HasMaxLength(128);
        builder.Property(k => k.Application).HasMaxLength(200);
        builder.Property(k => k.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(k => k.CreatedBy).HasMaxLength(450);
        builder.Property(k => k.RevokedBy).HasMaxLength(450);
        builder.Property(k => k.RotatedFrom).HasMaxLength(12);
        builder.Property(k => k.ReplacedBy).HasMaxLength(12);
        builder.Property(k => k.AllowedNetworks).HasMaxLength(1024);
        builder.HasIndex(k => k.Hash).IsUnique();
        builder.HasIndex(k => k.TeamId);
        builder.HasMany(k => k.Subscriptions).WithOne().HasForeignKey(s => s.KeyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Teams.Team>().WithMany().HasForeignKey(k => k.TeamId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<ApiKeySubscription> builder)
    {
        builder.HasKey(s => new { s.KeyId, s.SubscriptionId });
        builder.Property(s => s.KeyId).HasMaxLength(12).IsFixedLength();
        builder.Property(s => s.SubscriptionId).HasMaxLength(128);
        builder.HasOne<Subscriptions.Subscription>().WithMany().HasForeignKey(s => s.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}
