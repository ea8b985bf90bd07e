using Gateway.Contracts.Snapshot;

namespace Gateway.ControlPlane.Features.Catalog;

/// <summary>A model alias (what clients put in <c>model</c>).</summary>
internal sealed class Model
{
    public required string Alias { get; set; }

    public ModelKind Kind { get; set; }

    public required string DefaultVersion { get; set; }

    public string? CanaryVersion { get; set; }

    public double? CanaryPercent { get; set; }

    public string? Tokenizer { get; set; }

    public string? Description { get; set; }

    /// <summary>Order in the catalog (and the snapshot).</summary>
    public int SortOrder { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<ModelVersion> Versions { get; set; } = [];
}

/// <summary>A concrete model version with its lifecycle and prices per one million tokens.</summary>
internal sealed class ModelVersion
{
    public required string Name { get; set; }

    public required string ModelAlias { get; set; }

    public VersionStatus Status { get; set; }

    public decimal InputPricePerMillion { get; set; }

    public decimal CachedInputPricePerMillion { get; set; }

    public decimal OutputPricePerMillion { get; set; }

    public required string Currency { get; set; }

    public DataClassification MaxDataClassification { get; set; } = DataClassification.Internal;

    public DateTimeOffset? DeprecatedAt { get; set; }

    public DateTimeOffset? SunsetAt { get; set; }

    public string? Successor { get; set; }

    public int? MaxOutputTokens { get; set; }

    public int? ContextWindow { get; set; }

    /// <summary>The version's <see cref="ContentGuardSpec"/> as its snapshot JSON, or null for none.</summary>
    public string? ContentGuard { get; set; }

    public int SortOrder { get; set; }

    public Model? Model { get; set; }

    public List<Deployment> Deployments { get; set; } = [];
}

/// <summary>Where a version is served: a provider and the upstream model or deployment name.</summary>
internal sealed class Deployment
{
    public required string Id { get; set; }

    public required string VersionName { get; set; }

    public required string ProviderId { get; set; }

    public required string UpstreamModel { get; set; }

    public int Weight { get; set; } = 1;

    public int Priority { get; set; }

    public string? Region { get; set; }

    public int SortOrder { get; set; }
}
