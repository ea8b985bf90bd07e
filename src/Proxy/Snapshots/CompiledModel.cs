using Gateway.Contracts.Snapshot;

namespace Gateway.Proxy.Snapshots;

/// <summary>A model alias with its versions, default and canary.</summary>
internal sealed class CompiledModel(ModelSpec spec)
{
    public ModelSpec Spec { get; } = spec;

    public string Alias => Spec.Alias;

    public ModelKind Kind => Spec.Kind;

    public CompiledVersion[] Versions { get; internal set; } = [];

    public CompiledVersion Default { get; internal set; } = null!;

    /// <summary>The canary version, or null when the alias has no canary.</summary>
    public CompiledVersion? Canary { get; internal set; }

    /// <summary>The canary's share in basis points (0–10,000).</summary>
    public int CanaryBasisPoints { get; internal set; }
}

/// <summary>One concrete version with its lifecycle headers precomputed.</summary>
internal sealed class CompiledVersion(ModelVersionSpec spec, CompiledModel model, CompiledDeployment[] deployments)
{
    public ModelVersionSpec Spec { get; } = spec;

    public string Name => Spec.Name;

    public CompiledModel Model { get; } = model;

    public VersionStatus Status => Spec.Status;

    public CompiledDeployment[] Deployments { get; } = deployments;

    /// <summary>The <c>Deprecation</c> header value (RFC 9745), or null when the version is not deprecated.</summary>
    public string? DeprecationHeader { get; init; }

    /// <summary>The <c>Sunset</c> header value (RFC 8594), or null when there is no sunset date.</summary>
    public string? SunsetHeader { get; init; }

    /// <summary>The <c>Link</c> header naming the successor, or null.</summary>
    public string? SuccessorLinkHeader { get; init; }

    /// <summary>What requests to this version are screened for before they leave, or null.</summary>
    public Contracts.ContentGuard.CompiledGuard? Guard { get; } = Contracts.ContentGuard.CompiledGuard.Of(spec.ContentGuard);
}

/// <summary>Where a version is served: a provider, the upstream model name, weight, priority and health.</summary>
internal sealed class CompiledDeployment(DeploymentSpec spec, CompiledProvider provider, Policies.Routing.DeploymentHealth health)
{
    public DeploymentSpec Spec { get; } = spec;

    public string Id => Spec.Id;

    public CompiledProvider Provider { get; } = provider;

    public string UpstreamModel => Spec.UpstreamModel;

    public int Weight => Spec.Weight;

    public int Priority => Spec.Priority;

    /// <summary>The upstream model as a JSON string token (quotes included), spliced into pass-through bodies.</summary>
    public byte[] UpstreamModelJson { get; } = [(byte)'"', .. System.Text.Json.JsonEncodedText.Encode(spec.UpstreamModel).EncodedUtf8Bytes, (byte)'"'];

    /// <summary>Upstream URIs by operation, built on first use (Azure calls with the client's own api-version bypass it).</summary>
    internal Uri?[] UriCache { get; } = new Uri?[8];

    /// <summary>The circuit breaker; it outlives snapshots (kept per deployment id).</summary>
    public Policies.Routing.DeploymentHealth Health { get; } = health;
}
