using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.ControlPlane.Features.Providers;

internal sealed class ProviderConfiguration : IEntityTypeConfiguration<Provider>
{
    public void Configure(EntityTypeBuilder<Provider> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(128);
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(p => p.BaseUrl).HasMaxLength(2048);
        builder.Property(p => p.CredentialRef).HasMaxLength(512);
        builder.Property(p => p.ApiVersion).HasMaxLength(64);
        builder.Property(p => p.SuspendedBy).HasMaxLength(256);
        builder.Property(p => p.SuspendReason).HasMaxLength(2000);
    }
}
