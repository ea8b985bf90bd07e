using System.Globalization;
using Gateway.Contracts.Grpc;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.Contracts.Usage;

/// <summary>Maps usage records to and from their gRPC message (one mapping for shipper and ingestion).</summary>
public static class UsageRecordMapping
{
    public static UsageRecordMessage ToMessage(this UsageRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new UsageRecordMessage
        {
            RequestId = r.RequestId,
            Timestamp = Timestamp.FromDateTimeOffset(r.Timestamp),
            ProxyNode = r.ProxyNode ?? "",
            KeyId = r.KeyId,
            TeamId = r.TeamId,
            SubscriptionId = r.SubscriptionId ?? "",
            ModelAlias = r.ModelAlias,
            ModelVersion = r.ModelVersion,
            DeploymentId = r.DeploymentId ?? "",
            ProviderId = r.ProviderId ?? "",
            Operation = r.Operation,
            Streamed = r.Streamed,
            InputTokens = r.InputTokens,
            CachedInputTokens = r.CachedInputTokens,
            OutputTokens = r.OutputTokens,
            Cost = r.Cost.ToString(CultureInfo.InvariantCulture),
            Currency = r.Currency,
            LatencyMs = r.LatencyMs,
            TimeToFirstTokenMs = r.TimeToFirstTokenMs ?? -1,
            Status = r.Status,
            Estimated = r.Estimated,
            Outcome = r.Outcome,
        };
    }

    public static UsageRecord ToRecord(this UsageRecordMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new UsageRecord
        {
            RequestId = m.RequestId,
            Timestamp = m.Timestamp?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch,
            ProxyNode = NullIfEmpty(m.ProxyNode),
            KeyId = m.KeyId,
            TeamId = m.TeamId,
            SubscriptionId = NullIfEmpty(m.SubscriptionId),
            ModelAlias = m.ModelAlias,
            ModelVersion = m.ModelVersion,
            DeploymentId = NullIfEmpty(m.DeploymentId),
            ProviderId = NullIfEmpty(m.ProviderId),
            Operation = m.Operation,
            Streamed = m.Streamed,
            InputTokens = m.InputTokens,
            CachedInputTokens = m.CachedInputTokens,
            OutputTokens = m.OutputTokens,
            Cost = decimal.Parse(m.Cost.Length == 0 ? "0" : m.Cost, NumberStyles.Number, CultureInfo.InvariantCulture),
            Currency = m.Currency,
            LatencyMs = m.LatencyMs,
            TimeToFirstTokenMs = m.TimeToFirstTokenMs < 0 ? null : m.TimeToFirstTokenMs,
            Status = m.Status,
            Estimated = m.Estimated,
            Outcome = m.Outcome,
        };
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
