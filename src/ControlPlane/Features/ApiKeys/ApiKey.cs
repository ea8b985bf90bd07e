using Gateway.Contracts.Snapshot;

namespace Gateway.ControlPlane.Features.ApiKeys;

/// <summary>
/// An API key: only its id, display prefix and the SHA-256 of the whole key are stored. The key
/// itself is shown once, at creation or rotation.
/// </summary>
internal sealed class ApiKey
{
    public required string KeyId { get; set; }

    public required string Hash { get; set; }

    public required string DisplayPrefix { get; set; }

    public required string TeamId { get; set; }

    public required string Application { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public KeyStatus Status { get; set; }

    /// <summary>True: the key may use every active subscription of its team, now and later.</summary>
    public bool AllSubscriptions { get; set; }

    public int? RequestsPerMinute { get; set; }

    public int? TokensPerMinute { get; set; }

    public int? MaxConcurrent { get; set; }

    /// <summary>The networks the key may be used from, canonical CIDR blocks separated by commas; null: any.</summary>
    public string? AllowedNetworks { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    /// <summary>The key this one replaced by rotation.</summary>
    public string? RotatedFrom { get; set; }

    /// <summary>The key that replaced this one by rotation.</summary>
    public string? ReplacedBy { get; set; }

    public List<ApiKeySubscription> Subscriptions { get; set; } = [];
}

/// <summary>A subscription an explicitly scoped key may use.</summary>
internal sealed class ApiKeySubscription
{
    public required string KeyId { get; set; }

    public required string SubscriptionId { get; set; }
}
