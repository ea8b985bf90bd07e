using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;

namespace Gateway.Portal.Components.Pages.Admin;

/// <summary>A new version's values: name, lifecycle, prices, clearance, an optional first deployment and an optional content guard.</summary>
public sealed class VersionForm
{
    public string? Name { get; set; }

    public VersionStatus Status { get; set; } = VersionStatus.Preview;

    public decimal InputPerMillion { get; set; }

    public decimal CachedInputPerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }

    public string Currency { get; set; } = "USD";

    public DataClassification MaxDataClassification { get; set; } = DataClassification.Internal;

    public string? DeploymentId { get; set; }

    public string? ProviderId { get; set; }

    public string? UpstreamModel { get; set; }

    public ContentGuardForm Guard { get; } = new();

    public CreateVersionRequest ToCreate()
    {
        IReadOnlyList<CreateDeploymentRequest>? deployments = string.IsNullOrWhiteSpace(DeploymentId)
            ? null
            : [new CreateDeploymentRequest(DeploymentId.Trim(), ProviderId?.Trim() ?? "", UpstreamModel?.Trim() ?? "")];
        return new CreateVersionRequest(
            Name?.Trim() ?? "", Status, new PriceSpec(InputPerMillion, CachedInputPerMillion, OutputPerMillion, Currency.Trim().ToUpperInvariant()),
            MaxDataClassification, Deployments: deployments, ContentGuard: Guard.ToSpec());
    }
}
