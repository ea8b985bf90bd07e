using Gateway.ControlPlane.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.ControlPlane.Features.Catalog;

internal sealed class CatalogConfiguration :
    IEntityTypeConfiguration<Model>, IEntityTypeConfiguration<ModelVersion>, IEntityTypeConfiguration<Deployment>
{
    public void Configure(EntityTypeBuilder<Model> builder)
    {
        builder.HasKey(m => m.Alias);
        builder.Property(m => m.Alias).HasMaxLength(128);
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.DefaultVersion).HasMaxLength(128);
        builder.Property(m => m.CanaryVersion).HasMaxLength(128);
        builder.Property(m => m.Tokenizer).HasMaxLength(32);
        builder.Property(m => m.Description).HasMaxLength(1000);
        builder.HasMany(m => m.Versions).WithOne(v => v.Model).HasForeignKey(v => v.ModelAlias).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<ModelVersion> builder)
    {
        builder.HasKey(v => v.Name);
        builder.Property(v => v.Name).HasMaxLength(128);
        builder.Property(v => v.ModelAlias).HasMaxLength(128);
        builder.Property(v => v.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.MaxDataClassification).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.Currency).HasMaxLength(3);
        builder.Property(v => v.Successor).HasMaxLength(128);
        builder.Property(v => v.InputPricePerMillion).HasPrecision(Money.Precision, Money.Scale);
        builder.Property(v => v.CachedInputPricePerMillion).HasPrecision(Money.Precision, Money.Scale);
        builder.Property(v => v.OutputPricePerMillion).HasPrecision(Money.Precision, Money.Scale);
        builder.HasMany(v => v.Deployments).WithOne().HasForeignKey(d => d.VersionName).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<Deployment> builder)
    {
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasMaxLength(128);
        builder.Property(d => d.VersionName).HasMaxLength(128);
        builder.Property(d => d.ProviderId).HasMaxLength(128);
        builder.Property(d => d.UpstreamModel).HasMaxLength(256);
        builder.Property(d => d.Region).HasMaxLength(64);
        builder.HasOne<Providers.Provider>().WithMany().HasForeignKey(d => d.ProviderId).OnDelete(DeleteBehavior.Restrict);
    }
}
