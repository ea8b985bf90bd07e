using Gateway.Contracts.Usage;

namespace Gateway.Proxy.Usage;

/// <summary>Told when the ledger has acknowledged records (after the shipper returned, before the segment is deleted).</summary>
internal interface IUsageAcknowledgementObserver
{
    void Acknowledged(IReadOnlyList<UsageRecord> records, DateTimeOffset at);
}
