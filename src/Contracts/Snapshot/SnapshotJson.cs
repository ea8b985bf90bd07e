using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Contracts.Snapshot;

/// <summary>
/// The snapshot's JSON form (camelCase, enums as their wire names). Source-generated: no
/// reflection at run time. Missing required constructor parameters and nulls where the type
/// says non-null are errors that name the JSON path.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GatewaySnapshot))]
[JsonSerializable(typeof(ContentGuardSpec))]
public sealed partial class SnapshotJsonContext : JsonSerializerContext;

/// <summary>Reads and writes <see cref="GatewaySnapshot"/> as UTF-8 JSON.</summary>
public static class SnapshotJson
{
    /// <summary>Parses a snapshot; throws <see cref="JsonException"/> naming the path of the bad element.</summary>
    public static GatewaySnapshot Deserialize(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, SnapshotJsonContext.Default.GatewaySnapshot)
        ?? throw new JsonException("The snapshot is null.");

    /// <summary>Parses a snapshot from a stream; throws <see cref="JsonException"/> naming the path of the bad element.</summary>
    public static async ValueTask<GatewaySnapshot> DeserializeAsync(Stream utf8Json, CancellationToken cancellationToken = default) =>
        await JsonSerializer.DeserializeAsync(utf8Json, SnapshotJsonContext.Default.GatewaySnapshot, cancellationToken).ConfigureAwait(false)
        ?? throw new JsonException("The snapshot is null.");

    /// <summary>
    /// Writes a snapshot to <paramref name="utf8Json"/> in pieces, without building the whole
    /// document in memory first (a 10,000-key snapshot is megabytes of JSON).
    /// </summary>
    public static void Serialize(Stream utf8Json, GatewaySnapshot snapshot) =>
        JsonSerializer.Serialize(utf8Json, snapshot, SnapshotJsonContext.Default.GatewaySnapshot);

    public static byte[] SerializeToUtf8Bytes(GatewaySnapshot snapshot) =>
        JsonSerializer.SerializeToUtf8Bytes(snapshot, SnapshotJsonContext.Default.GatewaySnapshot);
}
