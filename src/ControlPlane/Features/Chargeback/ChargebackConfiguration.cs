using Gateway.ControlPlane.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.ControlPlane.Features.Chargeback;

internal sealed class ChargebackConfiguration :
    IEntityTypeConfiguration<ClosedPeriod>, IEntityTypeConfiguration<StatementLine>, IEntityTypeConfiguration<Adjustment>
{
    public void Configure(EntityTypeBuilder<ClosedPeriod> builder)
    {
        builder.HasKey(p => p.Period);
        builder.Property(p => p.Period).HasMaxLength(7);
        builder.Property(p => p.ClosedBy).HasMaxLength(450);
        builder.HasMany(p => p.Lines).WithOne().HasForeignKey(l => l.Period).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<StatementLine> builder)
    {
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Period).HasMaxLength(7);
        builder.Property(l => l.CostCentre).HasMaxLength(64);
        builder.Property(l => l.TeamId).HasMaxLength(128);
        builder.Property(l => l.ModelVersion).HasMaxLength(128);
        builder.Property(l => l.Currency).HasMaxLength(3);
        builder.Property(l => l.Cost).HasPrecision(Money.LedgerPrecision, Money.LedgerScale);
        builder.HasIndex(l => new { l.Period, l.CostCentre });
    }

    public void Configure(EntityTypeBuilder<Adjustment> builder)
    {
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasMaxLength(64);
        builder.Property(a => a.Period).HasMaxLength(7);
        builder.Property(a => a.CorrectsPeriod).HasMaxLength(7);
        builder.Property(a => a.CostCentre).HasMaxLength(64);
        builder.Property(a => a.Currency).HasMaxLength(3);
        builder.Property(a => a.Reason).HasMaxLength(2000);
        builder.Property(a => a.CreatedBy).HasMaxLength(450);
        builder.Property(a => a.Amount).HasPrecision(Money.LedgerPrecision, Money.LedgerScale);
        builder.HasIndex(a => a.Period);
    }
}
