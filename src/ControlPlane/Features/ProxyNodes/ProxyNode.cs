namespace Gateway.ControlPlane.Features.ProxyNodes;

/// <summary>A proxy that watched the snapshot feed or sent a heartbeat.</summary>
internal sealed class ProxyNode
{
    public required string NodeId { get; set; }

    public string HostName { get; set; } = "";

    public string Version { get; set; } = "";

    public long AppliedRevision { get; set; }

    public long PendingUsageRecords { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>The OAuth client the proxy authenticated as.</summary>
    public string ClientId { get; set; } = "";
}
