namespace Gateway.Contracts.Usage;

/// <summary>
/// What makes a <see cref="UsageRecord"/> one request: its request id, the node that served it, the
/// key, and its arrival to the microsecond (the precision the ledger keeps; a proxy never gives two
/// requests the same one). The request id alone is not enough: it can be a caller's
/// <c>x-request-id</c>, sent with two requests. A replayed record has the same identity.
/// </summary>
public readonly record struct UsageRecordIdentity(string RequestId, string? ProxyNode, string KeyId, long ArrivalMicroseconds)
{
    public static UsageRecordIdentity Of(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.RequestId, record.ProxyNode, record.KeyId, Microseconds(record.Timestamp));
    }

    /// <summary>Microseconds since 0001-01-01 UTC (a timestamp's ticks, cut to the microsecond).</summary>
    public static long Microseconds(DateTimeOffset timestamp) => timestamp.UtcTicks / TimeSpan.TicksPerMicrosecond;
}
