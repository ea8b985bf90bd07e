using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.ControlPlane.Features.Notifications;

/// <summary>
/// Where a webhook is in the audit log: the last sequence delivered (or passed over by its filter),
/// which replica holds it (a lease, so that one delivers at a time and in order), and its failures.
/// </summary>
internal sealed class WebhookCursor
{
    public required string Name { get; set; }

    /// <summary>The last audit sequence delivered or passed over.</summary>
    public long Sequence { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>Failed attempts in a row at the next event.</summary>
    public int Failures { get; set; }

    /// <summary>No attempt before this (back-off after a failure).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>Why the last attempt failed (a status or an error's type, never the URL or the secret).</summary>
    public string? LastError { get; set; }

    public DateTimeOffset? LastDeliveredAt { get; set; }
}

internal sealed class WebhookCursorConfiguration : IEntityTypeConfiguration<WebhookCursor>
{
    public void Configure(EntityTypeBuilder<WebhookCursor> builder)
    {
        builder.ToTable("WebhookCursors");
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(64);
        builder.Property(c => c.LeaseOwner).HasMaxLength(64);
        builder.Property(c => c.LastError).HasMaxLength(256);
    }
}
