using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Contracts.Usage;

/// <summary>JSON form of usage records (spool segments, NDJSON ledger files, exports). Source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UsageRecord))]
public sealed partial class UsageJsonContext : JsonSerializerContext;
