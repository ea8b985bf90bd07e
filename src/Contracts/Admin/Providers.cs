using Gateway.Contracts.Snapshot;

namespace Gateway.Contracts.Admin;

/// <summary>
/// A model provider. <c>CredentialRef</c> is <c>env:NAME</c> or <c>file:/path</c>: a reference, never
/// a secret. <c>SuspendedAt</c>: when a platform admin cut it off (its deployments get no traffic
/// until it is resumed), with who did and why.
/// </summary>
public sealed record ProviderDto(
    string Id, ProviderKind Kind, string BaseUrl, string? CredentialRef, string? ApiVersion,
    int ConnectTimeoutSeconds, int FirstByteTimeoutSeconds, int StreamIdleTimeoutSeconds, DateTimeOffset CreatedAt, string ConcurrencyStamp,
    DateTimeOffset? SuspendedAt = null, string? SuspendedBy = null, string? SuspendReason = null);

/// <summary>
/// Body of <c>POST /api/providers/{id}/suspend</c>: why (required). A suspension applies at once, by
/// one platform admin, also under change control: it only takes traffic away (an incident, a
/// provider's breach notice). Resuming (<c>POST /api/providers/{id}/resume</c>) gives it back, and
/// is held for a second platform admin like any other provider change.
/// </summary>
public sealed record SuspendProviderRequest(string Reason);

public sealed record CreateProviderRequest(
    string Id, ProviderKind Kind, string BaseUrl, string? CredentialRef = null, string? ApiVersion = null,
    int ConnectTimeoutSeconds = 10, int FirstByteTimeoutSeconds = 300, int StreamIdleTimeoutSeconds = 120);

public sealed record UpdateProviderRequest(
    ProviderKind Kind, string BaseUrl, string? CredentialRef = null, string? ApiVersion = null,
    int ConnectTimeoutSeconds = 10, int FirstByteTimeoutSeconds = 300, int StreamIdleTimeoutSeconds = 120, string? ConcurrencyStamp = null);

/// <summary>Query of <c>GET /api/providers</c>. Sort: id, kind, createdAt.</summary>
public sealed class ProviderQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Sort { get; set; }
    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; set; }
    public string? Search { get; set; }
}
