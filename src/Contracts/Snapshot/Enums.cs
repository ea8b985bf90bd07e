using System.Text.Json.Serialization;

namespace Gateway.Contracts.Snapshot;

[JsonConverter(typeof(JsonStringEnumConverter<ProviderKind>))]
public enum ProviderKind
{
    [JsonStringEnumMemberName("openai")] OpenAI,
    [JsonStringEnumMemberName("azure-openai")] AzureOpenAI,
    [JsonStringEnumMemberName("anthropic")] Anthropic,
    [JsonStringEnumMemberName("openai-compatible")] OpenAICompatible,
    [JsonStringEnumMemberName("kserve-v2")] KServeV2,
}

[JsonConverter(typeof(JsonStringEnumConverter<ModelKind>))]
public enum ModelKind
{
    [JsonStringEnumMemberName("chat")] Chat,
    [JsonStringEnumMemberName("embeddings")] Embeddings,
    [JsonStringEnumMemberName("realtime")] Realtime,
    [JsonStringEnumMemberName("inference")] Inference,
}

[JsonConverter(typeof(JsonStringEnumConverter<VersionStatus>))]
public enum VersionStatus
{
    [JsonStringEnumMemberName("preview")] Preview,
    [JsonStringEnumMemberName("ga")] Ga,
    [JsonStringEnumMemberName("deprecated")] Deprecated,
    [JsonStringEnumMemberName("retired")] Retired,
}

[JsonConverter(typeof(JsonStringEnumConverter<KeyStatus>))]
public enum KeyStatus
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("revoked")] Revoked,
}

[JsonConverter(typeof(JsonStringEnumConverter<DataClassification>))]
public enum DataClassification
{
    [JsonStringEnumMemberName("public")] Public,
    [JsonStringEnumMemberName("internal")] Internal,
    [JsonStringEnumMemberName("confidential")] Confidential,
    [JsonStringEnumMemberName("restricted")] Restricted,
}

[JsonConverter(typeof(JsonStringEnumConverter<OverLimitAction>))]
public enum OverLimitAction
{
    /// <summary>429 when the reservation does not fit.</summary>
    [JsonStringEnumMemberName("reject")] Reject,

    /// <summary>Lower <c>max_tokens</c> to what is left (429 only when nothing is left).</summary>
    [JsonStringEnumMemberName("clamp")] Clamp,
}
