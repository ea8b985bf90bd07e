using Gateway.Contracts.Snapshot;

namespace Gateway.ControlPlane.Features.Providers;

/// <summary>An upstream model provider. The credential is a reference (<c>env:</c>/<c>file:</c>), never a secret.</summary>
internal sealed class Provider
{
    public required string Id { get; set; }

    public ProviderKind Kind { get; set; }

    public required string BaseUrl { get; set; }

    public string? CredentialRef { get; set; }

    public string? ApiVersion { get; set; }

    public int ConnectTimeoutSeconds { get; set; } = 10;

    public int FirstByteTimeoutSeconds { get; set; } = 300;

    public int StreamIdleTimeoutSeconds { get; set; } = 120;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a platform admin cut the provider off (null: serving).</summary>
    public DateTimeOffset? SuspendedAt { get; set; }

    /// <summary>Who suspended it (the actor's name).</summary>
    public string? SuspendedBy { get; set; }

    public string? SuspendReason { get; set; }
}
