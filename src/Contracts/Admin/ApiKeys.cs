using Gateway.Contracts.Snapshot;

namespace Gateway.Contracts.Admin;

/// <summary>
/// A key as the admin API shows it (never its secret). <c>LastUsedAt</c>: the time of the key's
/// latest request in the usage ledger (null: none), as the proxies ship their usage (seconds behind).
/// </summary>
public sealed record ApiKeyDto(
    string KeyId, string DisplayPrefix, string TeamId, string Application, DateTimeOffset ExpiresAt, KeyStatus Status,
    bool AllSubscriptions, IReadOnlyList<string> SubscriptionIds, LimitSpec? Limits, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? RevokedAt, string? RotatedFrom, string? ReplacedBy, IReadOnlyList<string>? AllowedNetworks = null,
    DateTimeOffset? LastUsedAt = null);

/// <summary>
/// A new key for a team's application. <c>ExpiresAt</c> is mandatory (within the configured
/// maximum lifetime). No <c>SubscriptionIds</c>: the key may use all of the team's subscriptions.
/// <c>AllowedNetworks</c> (CIDR blocks or addresses, at most 16; <see cref="Keys.ClientNetworks"/>):
/// the only networks the key works from; none: any. A rotation keeps them.
/// </summary>
public sealed record CreateApiKeyRequest(
    string TeamId, string Application, DateTimeOffset ExpiresAt, IReadOnlyList<string>? SubscriptionIds = null, LimitSpec? Limits = null,
    IReadOnlyList<string>? AllowedNetworks = null);

/// <summary>
/// Body of <c>PUT /api/keys/{keyId}/networks</c>: the networks the key may be used from from now on
/// (as in <see cref="CreateApiKeyRequest"/>); null or empty: any. The secret does not change.
/// </summary>
public sealed record SetKeyNetworksRequest(IReadOnlyList<string>? AllowedNetworks);

/// <summary>The key itself, shown once: it is not stored and cannot be shown again.</summary>
public sealed record CreatedApiKeyDto(string Key, ApiKeyDto Details);

/// <summary>
/// Replaces a key: the new key gets <c>ExpiresAt</c>; the old one keeps working for
/// <c>OverlapMinutes</c> (0 to 10080) and then expires.
/// </summary>
public sealed record RotateApiKeyRequest(DateTimeOffset ExpiresAt, int OverlapMinutes = 60);

/// <summary>Query of <c>GET /api/keys</c>. Sort: createdAt, expiresAt, application, teamId.</summary>
public sealed class ApiKeyQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Sort { get; set; }
    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; set; }
    public string? TeamId { get; set; }
    /// <summary>active or revoked (case-insensitive).</summary>
    public string? Status { get; set; }
    public string? Search { get; set; }
    /// <summary>Only keys with no request in the ledger for this many days (1 to 3650; never used counts as unused).</summary>
    public int? UnusedForDays { get; set; }
}
