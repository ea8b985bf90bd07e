using Gateway.Contracts.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.ControlPlane.Features.Identity;

/// <summary>The four roles exist in every database (seeded by the migrations).</summary>
internal sealed class IdentityConfiguration : IEntityTypeConfiguration<IdentityRole>, IEntityTypeConfiguration<GatewayUser>
{
    public void Configure(EntityTypeBuilder<IdentityRole> builder) =>
        builder.HasData(GatewayRoles.All.Select(r => new IdentityRole(r)
        {
            Id = $"role-{r.ToLowerInvariant()}",
            NormalizedName = r.ToUpperInvariant(),
            ConcurrencyStamp = $"seed-{r.ToLowerInvariant()}",
        }));

    public void Configure(EntityTypeBuilder<GatewayUser> builder) =>
        builder.Property(u => u.DisplayName).HasMaxLength(200);
}
