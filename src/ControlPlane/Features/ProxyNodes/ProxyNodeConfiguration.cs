using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.ControlPlane.Features.ProxyNodes;

internal sealed class ProxyNodeConfiguration : IEntityTypeConfiguration<ProxyNode>
{
    public void Configure(EntityTypeBuilder<ProxyNode> builder)
    {
        builder.HasKey(p => p.NodeId);
        builder.Property(p => p.NodeId).HasMaxLength(128);
        builder.Property(p => p.HostName).HasMaxLength(256);
        builder.Property(p => p.Version).HasMaxLength(64);
        builder.Property(p => p.ClientId).HasMaxLength(128);
        builder.HasIndex(p => p.LastSeenAt);
    }
}
