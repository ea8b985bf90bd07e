namespace Gateway.Contracts.Admin;

/// <summary>A proxy as the control plane last saw it.</summary>
public sealed record ProxyNodeDto(
    string NodeId, string HostName, string Version, long AppliedRevision, long PendingUsageRecords,
    DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, bool Live, bool UpToDate);

/// <summary>The snapshot the control plane serves now.</summary>
public sealed record SnapshotInfoDto(
    long Revision, DateTimeOffset IssuedAt, string SigningKeyId, string PublicKeyPem, int PayloadBytes,
    int Providers, int Models, int Teams, int Subscriptions, int Keys, int LiveProxies);

/// <summary>Query of <c>GET /api/proxies</c>. Sort: nodeId, lastSeenAt, appliedRevision.</summary>
public sealed class ProxyNodeQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Sort { get; set; }
    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; set; }
    public bool? LiveOnly { get; set; }
}
