using System.Security.Claims;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.Catalog;

internal static partial class CatalogEndpoints
{
    private static async Task<Results<Created<ModelVersionDto>, ValidationProblem, ProblemHttpResult>> AddVersionAsync(
        string alias, CreateVersionRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var model = await db.Models.Include(m => m.Versions).FirstOrDefaultAsync(m => m.Alias == alias, ct);
        var v = new Validation();
        ValidateVersion(v, "", r, model?.Kind ?? ModelKind.Chat);
        if (v.Failed) return v.Problem();
        if (model is null) return Problems.NotFound("Model", alias);
        if (await CheckNewVersionAsync(db, r, "", ct) is { } problem) return problem;
        var version = NewVersion(alias, r, model.Versions.Count == 0 ? 0 : model.Versions.Max(x => x.SortOrder) + 1);
        db.ModelVersions.Add(version);
        var change = db.BeginChange(Actor.From(user), time);
        change.Audit("model.version.create", "modelVersion", version.Name, null, CatalogMapping.ToSpec(version));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Created($"/api/models/{alias}/versions/{version.Name}", CatalogMapping.ToDto(version, db.StampOf(version)));
    }

    private static async Task<Results<Ok<ModelVersionDto>, ValidationProblem, ProblemHttpResult>> UpdateVersionAsync(
        string alias, string version, UpdateVersionRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Defined("status", r.Status).Defined("maxDataClassification", r.MaxDataClassification)
            .Positive("maxOutputTokens", r.MaxOutputTokens).Positive("contextWindow", r.ContextWindow).Optional("successor", r.Successor, 128)
            .Guard("contentGuard", r.ContentGuard, await KindOfAsync(db, alias, ct));
        if (r.DeprecatedAt is { } d && r.SunsetAt is { } s && s < d) v.Error("sunsetAt", "must not be before deprecatedAt");
        if (v.Failed) return v.Problem();
        var found = await FindVersionAsync(db, alias, version, ct);
        if (found is not { } mv) return Problems.NotFound("Model version", $"{alias}/{version}");
        if (!db.MatchesStamp(mv, r.ConcurrencyStamp)) return Problems.Conflict("The version changed since you read it.");
        if (r.Successor is { } successor && (successor == version || !await db.ModelVersions.AnyAsync(x => x.Name == successor, ct)))
            return Problems.Invalid("successor", $"'{successor}' is not another known version");
        if (r.Status == VersionStatus.Retired && await db.Models.AnyAsync(m => m.Alias == alias && m.DefaultVersion == version, ct))
            return Problems.Conflict("This version is the model's default: choose another default before retiring it.");
        if (r.Status != VersionStatus.Retired && mv.Deployments.Count == 0)
            return Problems.Invalid("status", "a version without deployments can only be retired; add a deployment first");
        var before = CatalogMapping.ToSpec(mv);
        (mv.Status, mv.MaxDataClassification, mv.DeprecatedAt, mv.SunsetAt, mv.Successor, mv.MaxOutputTokens, mv.ContextWindow) =
            (r.Status, r.MaxDataClassification, r.DeprecatedAt, r.SunsetAt, r.Successor, r.MaxOutputTokens, r.ContextWindow);
        mv.ContentGuard = CatalogMapping.GuardJson(r.ContentGuard);
        var change = db.BeginChange(Actor.From(user), time);
        change.Audit("model.version.update", "modelVersion", version, before, CatalogMapping.ToSpec(mv));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Ok(CatalogMapping.ToDto(mv, db.StampOf(mv)));
    }

    private static async Task<Results<Ok<ModelVersionDto>, ValidationProblem, ProblemHttpResult>> UpdatePricesAsync(
        string alias, string version, UpdatePricesRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Prices("prices", r.Prices);
        if (v.Failed) return v.Problem();
        var found = await FindVersionAsync(db, alias, version, ct);
        if (found is not { } mv) return Problems.NotFound("Model version", $"{alias}/{version}");
        if (!db.MatchesStamp(mv, r.ConcurrencyStamp)) return Problems.Conflict("The version changed since you read it.");
        var before = CatalogMapping.Prices(mv);
        (mv.InputPricePerMillion, mv.CachedInputPricePerMillion, mv.OutputPricePerMillion, mv.Currency) =
            (r.Prices.InputPerMillion, r.Prices.CachedInputPerMillion, r.Prices.OutputPerMillion, r.Prices.Currency);
        var change = db.BeginChange(Actor.From(user), time);
        change.Audit("model.version.prices", "modelVersion", version, before, CatalogMapping.Prices(mv));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Ok(CatalogMapping.ToDto(mv, db.StampOf(mv)));
    }

    private static async Task<Results<Created<DeploymentDto>, ValidationProblem, ProblemHttpResult>> AddDeploymentAsync(
        string alias, string version, CreateDeploymentRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation();
        ValidateDeployment(v, "", r);
        if (v.Failed) return v.Problem();
        var found = await FindVersionAsync(db, alias, version, ct);
        if (found is not { } mv) return Problems.NotFound("Model version", $"{alias}/{version}");
        if (!await db.Providers.AnyAsync(p => p.Id == r.ProviderId, ct)) return Problems.Invalid("providerId", $"unknown provider '{r.ProviderId}'");
        if (await db.Deployments.AnyAsync(d => d.Id == r.Id, ct)) return Problems.Conflict($"A deployment with the id '{r.Id}' exists.");
        var deployment = new Deployment
        {
            Id = r.Id, VersionName = version, ProviderId = r.ProviderId, UpstreamModel = r.UpstreamModel, Weight = r.Weight, Priority = r.Priority, Region = r.Region,
            SortOrder = mv.Deployments.Count == 0 ? 0 : mv.Deployments.Max(d => d.SortOrder) + 1,
        };
        db.Deployments.Add(deployment);
        var change = db.BeginChange(Actor.From(user), time);
        change.Audit("model.deployment.create", "deployment", r.Id, null, CatalogMapping.ToSpec(deployment));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Created($"/api/models/{alias}/versions/{version}/deployments/{r.Id}", CatalogMapping.ToDto(deployment));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveDeploymentAsync(
        string alias, string version, string deploymentId, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var found = await FindVersionAsync(db, alias, version, ct);
        if (found?.Deployments.Find(d => d.Id == deploymentId) is not { } deployment) return Problems.NotFound("Deployment", deploymentId);
        if (found.Status != VersionStatus.Retired && found.Deployments.Count == 1)
            return Problems.Conflict("This is the version's last deployment; retire the version first.");
        db.Deployments.Remove(deployment);
        var change = db.BeginChange(Actor.From(user), time);
        change.Audit("model.deployment.delete", "deployment", deploymentId, CatalogMapping.ToSpec(deployment), null);
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.NoContent();
    }

    private static Task<ModelVersion?> FindVersionAsync(GatewayDbContext db, string alias, string version, CancellationToken ct) =>
        db.ModelVersions.Include(v => v.Deployments).FirstOrDefaultAsync(v => v.Name == version && v.ModelAlias == alias, ct);

    /// <summary>The kind of the model <paramref name="alias"/> (chat when there is none: the 404 comes later).</summary>
    private static async Task<ModelKind> KindOfAsync(GatewayDbContext db, string alias, CancellationToken ct) =>
        await db.Models.Where(m => m.Alias == alias).Select(m => (ModelKind?)m.Kind).FirstOrDefaultAsync(ct) ?? ModelKind.Chat;

    private static void ValidateVersion(Validation v, string prefix, CreateVersionRequest r, ModelKind kind)
    {
        var p = prefix.Length == 0 ? "" : prefix + ".";
        v.Id($"{p}name", r.Name).Defined($"{p}status", r.Status).Defined($"{p}maxDataClassification", r.MaxDataClassification)
            .Prices($"{p}prices", r.Prices).Positive($"{p}maxOutputTokens", r.MaxOutputTokens).Positive($"{p}contextWindow", r.ContextWindow)
            .Guard($"{p}contentGuard", r.ContentGuard, kind);
        var deployments = r.Deployments ?? [];
        if (r.Status != VersionStatus.Retired && deployments.Count == 0) v.Error($"{p}deployments", "a version that serves needs at least one deployment");
        for (var i = 0; i < deployments.Count; i++) ValidateDeployment(v, $"{p}deployments[{i}]", deployments[i]);
    }

    private static void ValidateDeployment(Validation v, string prefix, CreateDeploymentRequest? d)
    {
        var p = prefix.Length == 0 ? "" : prefix + ".";
        if (d is null)
        {
            v.Error(prefix.Length == 0 ? "body" : prefix, "is required");
            return;
        }
        v.Id($"{p}id", d.Id).Id($"{p}providerId", d.ProviderId).Required($"{p}upstreamModel", d.UpstreamModel, 256).Optional($"{p}region", d.Region, 64);
        if (d.Weight is < 1 or > 1000) v.Error($"{p}weight", "must be between 1 and 1000");
        if (d.Priority is < 0 or > 100) v.Error($"{p}priority", "must be between 0 and 100");
    }

    /// <summary>Cross-record checks of a new version: unique names, known providers.</summary>
    private static async Task<ProblemHttpResult?> CheckNewVersionAsync(GatewayDbContext db, CreateVersionRequest r, string prefix, CancellationToken ct)
    {
        if (await db.ModelVersions.AnyAsync(x => x.Name == r.Name, ct)) return Problems.Conflict($"A version named '{r.Name}' exists.");
        var deployments = r.Deployments ?? [];
        var ids = deployments.Select(d => d.Id).ToList();
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count || await db.Deployments.AnyAsync(d => ids.Contains(d.Id), ct))
            return Problems.Conflict("A deployment id is used twice or exists already.");
        var providers = deployments.Select(d => d.ProviderId).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.Providers.Where(p => providers.Contains(p.Id)).CountAsync(ct);
        return known == providers.Count ? null : Problems.Conflict($"{(prefix.Length == 0 ? "" : prefix + ".")}deployments name an unknown provider.");
    }

    private static ModelVersion NewVersion(string alias, CreateVersionRequest r, int sortOrder)
    {
        var spec = new ModelVersionSpec(r.Name, r.Status, r.Prices,
            [.. (r.Deployments ?? []).Select(d => new DeploymentSpec(d.Id, d.ProviderId, d.UpstreamModel, d.Weight, d.Priority) { Region = d.Region })])
        {
            MaxDataClassification = r.MaxDataClassification, MaxOutputTokens = r.MaxOutputTokens, ContextWindow = r.ContextWindow,
            ContentGuard = r.ContentGuard,
        };
        return CatalogMapping.ToEntity(spec, alias, sortOrder);
    }
}
