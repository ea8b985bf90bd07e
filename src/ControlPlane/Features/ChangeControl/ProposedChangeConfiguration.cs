using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.ControlPlane.Features.ChangeControl;

internal sealed class ProposedChangeConfiguration : IEntityTypeConfiguration<ProposedChange>
{
    public void Configure(EntityTypeBuilder<ProposedChange> builder)
    {
        builder.ToTable("ProposedChanges");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(64);
        builder.Property(c => c.Method).HasMaxLength(8);
        builder.Property(c => c.RoutePattern).HasMaxLength(256);
        builder.Property(c => c.Path).HasMaxLength(2048);
        builder.Property(c => c.RouteValues).HasMaxLength(4096);
        builder.Property(c => c.Summary).HasMaxLength(2000);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.RequestedBy).HasMaxLength(450);
        builder.Property(c => c.RequestedByName).HasMaxLength(256);
        builder.Property(c => c.DecidedBy).HasMaxLength(450);
        builder.Property(c => c.DecidedByName).HasMaxLength(256);
        builder.Property(c => c.Reason).HasMaxLength(2000);
        builder.HasIndex(c => new { c.Status, c.RequestedAt });
    }
}
