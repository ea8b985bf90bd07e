using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Gateway.ControlPlane.Features.Audit;

/// <summary>
/// The audit hash chain: each event's hash is SHA-256 over a canonical JSON array of
/// (previous hash, sequence, time as UTC ticks, actor, action, target type, target id, before, after).
/// </summary>
internal static class AuditChain
{
    /// <summary>The "previous hash" of the first event.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string ComputeHash(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(e.PreviousHash);
            writer.WriteNumberValue(e.Sequence);
            writer.WriteNumberValue(e.Time.UtcTicks);
            writer.WriteStringValue(e.Actor);
            writer.WriteStringValue(e.ActorName);
            writer.WriteStringValue(e.Action);
            writer.WriteStringValue(e.TargetType);
            writer.WriteStringValue(e.TargetId);
            WriteNullable(writer, e.Before);
            WriteNullable(writer, e.After);
            writer.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>Instants are kept to the microsecond, the finest all three databases store exactly.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    private static void WriteNullable(Utf8JsonWriter writer, string? value)
    {
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(value);
    }
}
