using Gateway.Contracts.Snapshot;

namespace Gateway.Contracts.Admin;

public sealed record ModelDto(
    string Alias, ModelKind Kind, string DefaultVersion, CanarySpec? Canary, string? Tokenizer, string? Description,
    IReadOnlyList<ModelVersionDto> Versions);

public sealed record ModelVersionDto(
    string Name, string ModelAlias, VersionStatus Status, PriceSpec Prices, DataClassification MaxDataClassification,
    DateTimeOffset? DeprecatedAt, DateTimeOffset? SunsetAt, string? Successor, int? MaxOutputTokens, int? ContextWindow,
    IReadOnlyList<DeploymentDto> Deployments, string ConcurrencyStamp, ContentGuardSpec? ContentGuard = null);

public sealed record DeploymentDto(string Id, string ProviderId, string UpstreamModel, int Weight, int Priority, string? Region);

/// <summary>A new alias with its first version (an alias always has at least one).</summary>
public sealed record CreateModelRequest(string Alias, ModelKind Kind, CreateVersionRequest FirstVersion, string? Description = null, string? Tokenizer = null);

public sealed record UpdateModelRequest(string DefaultVersion, CanarySpec? Canary = null, string? Tokenizer = null, string? Description = null);

/// <summary>A new version. Prices are per one million tokens with at most 6 decimals.</summary>
public sealed record CreateVersionRequest(
    string Name, VersionStatus Status, PriceSpec Prices,
    DataClassification MaxDataClassification = DataClassification.Internal,
    int? MaxOutputTokens = null, int? ContextWindow = null,
    IReadOnlyList<CreateDeploymentRequest>? Deployments = null, ContentGuardSpec? ContentGuard = null);

/// <summary>
/// Lifecycle, limits and content guard of a version (prices change through their own endpoint). Like
/// every PUT it replaces them all: a request without <c>contentGuard</c> removes the guard.
/// </summary>
public sealed record UpdateVersionRequest(
    VersionStatus Status, DataClassification MaxDataClassification = DataClassification.Internal,
    DateTimeOffset? DeprecatedAt = null, DateTimeOffset? SunsetAt = null, string? Successor = null,
    int? MaxOutputTokens = null, int? ContextWindow = null, string? ConcurrencyStamp = null, ContentGuardSpec? ContentGuard = null);

public sealed record UpdatePricesRequest(PriceSpec Prices, string? ConcurrencyStamp = null);

public sealed record CreateDeploymentRequest(string Id, string ProviderId, string UpstreamModel, int Weight = 1, int Priority = 0, string? Region = null);

/// <summary>Query of <c>GET /api/models</c>. Sort: alias, kind.</summary>
public sealed class ModelQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Sort { get; set; }
    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; set; }
    public string? Search { get; set; }

    /// <summary>chat, embeddings, realtime or inference.</summary>
    public string? Kind { get; set; }

    /// <summary>Leave out retired versions.</summary>
    public bool? HideRetired { get; set; }
}
