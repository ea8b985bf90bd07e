namespace Gateway.Proxy.ControlPlane;

/// <summary>
/// The usage records written locally but not yet acknowledged by the ledger, reported in every
/// heartbeat (<c>pending_usage_records</c>). The usage spool registers itself as this; without a
/// spool the proxy reports 0.
/// </summary>
internal interface IUsageBacklog
{
    long PendingRecords { get; }
}
