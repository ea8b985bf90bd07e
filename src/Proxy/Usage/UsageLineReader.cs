using System.Text.Json;
using Gateway.Contracts.Usage;

namespace Gateway.Proxy.Usage;

/// <summary>
/// Reads spool and ledger lines back into <see cref="UsageRecord"/>s. The lines the spool writes
/// (its own property names in its own order, plain values) are read in one pass over the bytes,
/// without the serializer's boxed arguments for the record's required members, and the values
/// that repeat from record to record (node, key, team, subscription, model, deployment, provider,
/// operation, currency, outcome) become one string each instead of one per record. Any other line
/// (other casing, a number written as a string, an unknown, repeated or missing property, a
/// required one set to null, an unreadable one) is left to the serializer, so every line reads as
/// it always did, and what the serializer refuses still throws <see cref="JsonException"/>.
/// One instance per reading loop: it is not thread-safe.
/// </summary>
internal sealed class UsageLineReader
{
    private const int MaxCachedStrings = 4096;
    private const int MaxCachedLength = 128; // bytes of UTF-8, so at most as many UTF-16 chars

    // In the order the serializer writes them (the record's declaration order).
    private static readonly byte[][] Names =
    [
        "requestId"u8.ToArray(), "timestamp"u8.ToArray(), "proxyNode"u8.ToArray(), "keyId"u8.ToArray(),
        "teamId"u8.ToArray(), "subscriptionId"u8.ToArray(), "modelAlias"u8.ToArray(), "modelVersion"u8.ToArray(),
        "deploymentId"u8.ToArray(), "providerId"u8.ToArray(), "operation"u8.ToArray(), "streamed"u8.ToArray(),
        "inputTokens"u8.ToArray(), "cachedInputTokens"u8.ToArray(), "outputTokens"u8.ToArray(), "totalTokens"u8.ToArray(),
        "cost"u8.ToArray(), "currency"u8.ToArray(), "latencyMs"u8.ToArray(), "timeToFirstTokenMs"u8.ToArray(),
        "status"u8.ToArray(), "estimated"u8.ToArray(), "outcome"u8.ToArray(),
    ];

    private const int RequestId = 0, Timestamp = 1, ProxyNode = 2, KeyId = 3, TeamId = 4, SubscriptionId = 5, ModelAlias = 6,
        ModelVersion = 7, DeploymentId = 8, ProviderId = 9, Operation = 10, Streamed = 11, InputTokens = 12,
        CachedInputTokens = 13, OutputTokens = 14, TotalTokens = 15, Cost = 16, Currency = 17, LatencyMs = 18,
        TimeToFirstTokenMs = 19, Status = 20, Estimated = 21, Outcome = 22;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public UsageLineReader() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The record on <paramref name="line"/>; null for a JSON <c>null</c>; throws <see cref="JsonException"/> for what is not a record.</summary>
    public UsageRecord? Read(ReadOnlySpan<byte> line) =>
        TryReadSpoolLine(line) ?? JsonSerializer.Deserialize(line, UsageJsonContext.Default.UsageRecord);

    /// <summary>The record when <paramref name="line"/> is in the spool's own form, else null (the serializer decides).</summary>
    internal UsageRecord? TryReadSpoolLine(ReadOnlySpan<byte> line)
    {
        try
        {
            return ReadSpoolLine(line);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private UsageRecord? ReadSpoolLine(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        string? requestId = null, proxyNode = null, keyId = null, teamId = null, subscriptionId = null, modelAlias = null,
            modelVersion = null, deploymentId = null, providerId = null, operation = null, currency = null, outcome = null;
        DateTimeOffset timestamp = default;
        bool streamed = false, estimated = false;
        long input = 0, cached = 0, output = 0;
        decimal cost = 0;
        double latency = 0;
        double? ttft = null;
        var status = 0;
        var seen = 0;
        var next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped) return null;
            var property = Find(reader.ValueSpan, next);
            if (property < 0 || (seen & (1 << property)) != 0) return null;
            seen |= 1 << property;
            next = property + 1;
            if (!reader.Read()) return null;
            var ok = property switch
            {
                RequestId => TryString(ref reader, intern: false, out requestId),
                Timestamp => reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out timestamp),
                ProxyNode => TryString(ref reader, intern: true, out proxyNode),
                KeyId => TryString(ref reader, intern: true, out keyId),
                TeamId => TryString(ref reader, intern: true, out teamId),
                SubscriptionId => TryString(ref reader, intern: true, out subscriptionId),
                ModelAlias => TryString(ref reader, intern: true, out modelAlias),
                ModelVersion => TryString(ref reader, intern: true, out modelVersion),
                DeploymentId => TryString(ref reader, intern: true, out deploymentId),
                ProviderId => TryString(ref reader, intern: true, out providerId),
                Operation => TryString(ref reader, intern: true, out operation),
                Streamed => TryBool(ref reader, out streamed),
                InputTokens => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out input),
                CachedInputTokens => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out cached),
                OutputTokens => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out output),
                TotalTokens => reader.TokenType == JsonTokenType.Number, // computed: written, never read
                Cost => reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out cost),
                Currency => TryString(ref reader, intern: true, out currency),
                LatencyMs => reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out latency),
                TimeToFirstTokenMs => TryNullableDouble(ref reader, out ttft),
                Status => reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out status),
                Estimated => TryBool(ref reader, out estimated),
                Outcome => TryString(ref reader, intern: true, out outcome),
                _ => false,
            };
            if (!ok) return null;
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0 || reader.Read()) return null;
        // The required members: the strings set and not null, the time present.
        if ((seen & (1 << Timestamp)) == 0 || requestId is null || keyId is null || teamId is null || modelAlias is null
            || modelVersion is null || operation is null || currency is null || outcome is null)
            return null;
        return new UsageRecord
        {
            RequestId = requestId,
            Timestamp = timestamp,
            ProxyNode = proxyNode,
            KeyId = keyId,
            TeamId = teamId,
            SubscriptionId = subscriptionId,
            ModelAlias = modelAlias,
            ModelVersion = modelVersion,
            DeploymentId = deploymentId,
            ProviderId = providerId,
            Operation = operation,
            Streamed = streamed,
            InputTokens = input,
            CachedInputTokens = cached,
            OutputTokens = output,
            Cost = cost,
            Currency = currency,
            LatencyMs = latency,
            TimeToFirstTokenMs = ttft,
            Status = status,
            Estimated = estimated,
            Outcome = outcome,
        };
    }

    /// <summary>The property's index, trying the one after the last first (the order the spool writes); -1 when unknown.</summary>
    private static int Find(ReadOnlySpan<byte> name, int expected)
    {
        if (expected < Names.Length && name.SequenceEqual(Names[expected])) return expected;
        for (var i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i])) return i;
        }
        return -1;
    }

    private static bool TryBool(ref Utf8JsonReader reader, out bool value)
    {
        value = reader.TokenType == JsonTokenType.True;
        return reader.TokenType is JsonTokenType.True or JsonTokenType.False;
    }

    private static bool TryNullableDouble(ref Utf8JsonReader reader, out double? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var number)) return false;
        value = number;
        return true;
    }

    /// <summary>A string or null; repeated values (<paramref name="intern"/>) come from the cache.</summary>
    private bool TryString(ref Utf8JsonReader reader, bool intern, out string? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.String) return false;
        if (!intern || reader.ValueSpan.Length > MaxCachedLength)
        {
            value = reader.GetString();
            return true;
        }
        Span<char> chars = stackalloc char[MaxCachedLength];
        var text = chars[..reader.CopyString(chars)];
        if (!_lookup.TryGetValue(text, out value))
        {
            if (_strings.Count >= MaxCachedStrings) _strings.Clear();
            value = text.ToString();
            _strings[value] = value;
        }
        return true;
    }
}
