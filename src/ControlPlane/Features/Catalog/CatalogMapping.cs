using System.Text.Json;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;

namespace Gateway.ControlPlane.Features.Catalog;

/// <summary>Catalog entities to and from the snapshot's and the API's shapes.</summary>
internal static class CatalogMapping
{
    public static Model ToEntity(ModelSpec spec, int sortOrder, DateTimeOffset now) => new()
    {
        Alias = spec.Alias, Kind = spec.Kind, DefaultVersion = spec.DefaultVersion, CanaryVersion = spec.Canary?.Version,
        CanaryPercent = spec.Canary?.Percent, Tokenizer = spec.Tokenizer, Description = spec.Description, SortOrder = sortOrder, CreatedAt = now,
        Versions = [.. spec.Versions.Select((v, i) => ToEntity(v, spec.Alias, i))],
    };

    public static ModelVersion ToEntity(ModelVersionSpec v, string alias, int sortOrder) => new()
    {
        Name = v.Name, ModelAlias = alias, Status = v.Status, InputPricePerMillion = v.Prices.InputPerMillion,
        CachedInputPricePerMillion = v.Prices.CachedInputPerMillion, OutputPricePerMillion = v.Prices.OutputPerMillion, Currency = v.Prices.Currency,
        MaxDataClassification = v.MaxDataClassification, DeprecatedAt = v.DeprecatedAt, SunsetAt = v.SunsetAt, Successor = v.Successor,
        MaxOutputTokens = v.MaxOutputTokens, ContextWindow = v.ContextWindow, ContentGuard = GuardJson(v.ContentGuard), SortOrder = sortOrder,
        Deployments = [.. v.Deployments.Select((d, i) => new Deployment
        {
            Id = d.Id, VersionName = v.Name, ProviderId = d.ProviderId, UpstreamModel = d.UpstreamModel, Weight = d.Weight, Priority = d.Priority, Region = d.Region, SortOrder = i,
        })],
    };

    public static PriceSpec Prices(ModelVersion v) => new(v.InputPricePerMillion, v.CachedInputPricePerMillion, v.OutputPricePerMillion, v.Currency);

    public static ModelVersionSpec ToSpec(ModelVersion v) => new(v.Name, v.Status, Prices(v),
        [.. v.Deployments.OrderBy(d => d.SortOrder).ThenBy(d => d.Id, StringComparer.Ordinal).Select(ToSpec)])
    {
        DeprecatedAt = v.DeprecatedAt, SunsetAt = v.SunsetAt, Successor = v.Successor, MaxDataClassification = v.MaxDataClassification,
        MaxOutputTokens = v.MaxOutputTokens, ContextWindow = v.ContextWindow, ContentGuard = Guard(v),
    };

    /// <summary>A guard as the JSON the entity keeps (the snapshot's own form), or null.</summary>
    public static string? GuardJson(ContentGuardSpec? guard) => guard is null ? null : JsonSerializer.Serialize(
        new ContentGuardSpec(guard.Action, guard.Detectors ?? []) { Patterns = guard.Patterns is { Count: > 0 } patterns ? patterns : null },
        SnapshotJsonContext.Default.ContentGuardSpec);

    public static ContentGuardSpec? Guard(ModelVersion v) =>
        v.ContentGuard is { } json ? JsonSerializer.Deserialize(json, SnapshotJsonContext.Default.ContentGuardSpec) : null;

    public static DeploymentSpec ToSpec(Deployment d) => new(d.Id, d.ProviderId, d.UpstreamModel, d.Weight, d.Priority) { Region = d.Region };

    public static ModelSpec ToSpec(Model m) => new(m.Alias, m.Kind, m.DefaultVersion,
        [.. m.Versions.OrderBy(v => v.SortOrder).ThenBy(v => v.Name, StringComparer.Ordinal).Select(ToSpec)])
    {
        Canary = m.CanaryVersion is { } cv && m.CanaryPercent is { } cp ? new CanarySpec(cv, cp) : null,
        Tokenizer = m.Tokenizer, Description = m.Description,
    };

    public static DeploymentDto ToDto(Deployment d) => new(d.Id, d.ProviderId, d.UpstreamModel, d.Weight, d.Priority, d.Region);

    public static ModelVersionDto ToDto(ModelVersion v, string stamp, bool patterns = true) => new(
        v.Name, v.ModelAlias, v.Status, Prices(v), v.MaxDataClassification, v.DeprecatedAt, v.SunsetAt, v.Successor, v.MaxOutputTokens, v.ContextWindow,
        [.. v.Deployments.OrderBy(d => d.SortOrder).ThenBy(d => d.Id, StringComparer.Ordinal).Select(ToDto)], stamp, GuardAsShown(Guard(v), patterns));

    /// <summary>The guard as the API gives it: without <paramref name="patterns"/> (anyone but a platform admin), <c>***</c> in place of each pattern.</summary>
    private static ContentGuardSpec? GuardAsShown(ContentGuardSpec? guard, bool patterns) =>
        guard is { Patterns: { } list } && !patterns ? guard with { Patterns = [.. list.Select(_ => ContentGuardRules.HiddenPattern)] } : guard;
}
