using System.Security.Claims;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.ChangeControl;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.Catalog;

/// <summary><c>/api/models</c>: every role reads the catalog; platform admins change it.</summary>
internal static partial class CatalogEndpoints
{
    private static readonly SortMap<Model> Sorts = new SortMap<Model>("order", m => m.Alias)
        .Add("order", m => m.SortOrder).Add("alias", m => m.Alias).Add("kind", m => m.Kind);

    public static void MapCatalogEndpoints(this IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/api/models").WithTags("Catalog");
        models.MapGet("/", ListAsync).RequireAuthorization(Policies.AnyRole);
        models.MapGet("/{alias}", GetAsync).RequireAuthorization(Policies.AnyRole);
        models.MapPost("/", CreateAsync).RequireAuthorization(Policies.Admin).HeldForSecondAdmin();
        models.MapPut("/{alias}", UpdateAsync).RequireAuthorization(Policies.Admin).HeldForSecondAdmin();
        models.MapPost("/{alias}/versions", AddVersionAsync).RequireAuthorization(Policies.Admin).HeldForSecondAdmin();
        models.MapPut("/{alias}/versions/{version}", UpdateVersionAsync).RequireAuthorization(Policies.Admin).HeldForSecondAdmin();
        models.MapPut("/{alias}/versions/{version}/prices", UpdatePricesAsync).RequireAuthorization(Policies.Admin).HeldForSecondAdmin();
        models.MapPost("/{alias}/versions/{version}/deployments", AddDeploymentAsync).RequireAuthorization(Policies.Admin).HeldForSecondAdmin();
        models.MapDelete("/{alias}/versions/{version}/deployments/{deploymentId}", RemoveDeploymentAsync).RequireAuthorization(Policies.Admin).HeldForSecondAdmin();
    }

    private static IQueryable<Model> WithVersions(GatewayDbContext db) =>
        db.Models.Include(m => m.Versions).ThenInclude(v => v.Deployments).AsSplitQuery();

    private static async Task<Results<Ok<PagedResult<ModelDto>>, ValidationProblem>> ListAsync([AsParameters] ModelQuery q, ClaimsPrincipal user, GatewayDbContext db, CancellationToken ct)
    {
        var v = new Validation();
        var page = PageRequest.From(q.Page, q.PageSize, q.Sort, q.Order, Sorts, v);
        ModelKind? kind = null;
        if (q.Kind is not null)
        {
            kind = ParseKind(q.Kind);
            if (kind is null) v.Error("kind", "must be chat, embeddings, realtime or inference");
        }
        if (v.Failed) return v.Problem();
        var query = WithVersions(db);
        if (!string.IsNullOrWhiteSpace(q.Search)) query = query.Where(m => m.Alias.Contains(q.Search) || (m.Description != null && m.Description.Contains(q.Search)));
        if (kind is { } k) query = query.Where(m => m.Kind == k);
        var patterns = user.IsInRole(GatewayRoles.PlatformAdmin);
        var result = await query.ToPageAsync(page, Sorts, m => ToDto(db, m, q.HideRetired == true, patterns), ct);
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<ModelDto>, ProblemHttpResult>> GetAsync(string alias, ClaimsPrincipal user, GatewayDbContext db, CancellationToken ct) =>
        await WithVersions(db).FirstOrDefaultAsync(m => m.Alias == alias, ct) is { } m
            ? TypedResults.Ok(ToDto(db, m, false, user.IsInRole(GatewayRoles.PlatformAdmin)))
            : Problems.NotFound("Model", alias);

    private static async Task<Results<Created<ModelDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateModelRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Id("alias", r.Alias).Defined("kind", r.Kind).Optional("description", r.Description, 1000);
        ValidateTokenizer(v, r.Tokenizer);
        if (r.FirstVersion is null) v.Error("firstVersion", "is required");
        else ValidateVersion(v, "firstVersion", r.FirstVersion, r.Kind);
        if (v.Failed) return v.Problem();
        if (await db.Models.AnyAsync(m => m.Alias == r.Alias, ct)) return Problems.Conflict($"A model with the alias '{r.Alias}' exists.");
        if (await CheckNewVersionAsync(db, r.FirstVersion!, "firstVersion", ct) is { } problem) return problem;
        var change = db.BeginChange(Actor.From(user), time);
        var order = await db.Models.Select(m => (int?)m.SortOrder).MaxAsync(ct) ?? -1;
        var model = new Model
        {
            Alias = r.Alias, Kind = r.Kind, DefaultVersion = r.FirstVersion!.Name, Description = r.Description, Tokenizer = r.Tokenizer,
            SortOrder = order + 1, CreatedAt = change.Now, Versions = [NewVersion(r.Alias, r.FirstVersion, 0)],
        };
        db.Models.Add(model);
        change.Audit("model.create", "model", model.Alias, null, CatalogMapping.ToSpec(model));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Created($"/api/models/{model.Alias}", ToDto(db, model, false));
    }

    private static async Task<Results<Ok<ModelDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string alias, UpdateModelRequest r, ClaimsPrincipal user, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation().Required("defaultVersion", r.DefaultVersion, 128).Optional("description", r.Description, 1000);
        ValidateTokenizer(v, r.Tokenizer);
        if (r.Canary is { } c && (c.Percent is < 0 or > 100 || double.IsNaN(c.Percent))) v.Error("canary.percent", "must be between 0 and 100");
        if (v.Failed) return v.Problem();
        var model = await WithVersions(db).FirstOrDefaultAsync(m => m.Alias == alias, ct);
        if (model is null) return Problems.NotFound("Model", alias);
        if (model.Versions.Find(x => x.Name == r.DefaultVersion) is not { } def) return Problems.Invalid("defaultVersion", $"'{r.DefaultVersion}' is not a version of '{alias}'");
        if (def.Status == VersionStatus.Retired) return Problems.Invalid("defaultVersion", "a retired version cannot be the default");
        if (r.Canary is { } canary && !model.Versions.Exists(x => x.Name == canary.Version)) return Problems.Invalid("canary.version", $"'{canary.Version}' is not a version of '{alias}'");
        var before = CatalogMapping.ToSpec(model);
        (model.DefaultVersion, model.CanaryVersion, model.CanaryPercent, model.Tokenizer, model.Description) =
            (r.DefaultVersion, r.Canary?.Version, r.Canary?.Percent, r.Tokenizer, r.Description);
        var change = db.BeginChange(Actor.From(user), time);
        change.Audit("model.update", "model", alias, before, CatalogMapping.ToSpec(model));
        await change.CommitAsync(bumpsRevision: true, ct);
        return TypedResults.Ok(ToDto(db, model, false));
    }

    internal static ModelKind? ParseKind(string kind) => kind switch
    {
        "chat" => ModelKind.Chat,
        "embeddings" => ModelKind.Embeddings,
        "realtime" => ModelKind.Realtime,
        "inference" => ModelKind.Inference,
        _ => null,
    };

    private static void ValidateTokenizer(Validation v, string? tokenizer)
    {
        if (tokenizer is not null and not ("o200k_base" or "cl100k_base")) v.Error("tokenizer", "must be o200k_base or cl100k_base (or omitted)");
    }

    /// <summary>A model as the API gives it; <paramref name="patterns"/> false (anyone but a platform admin) hides what the content guards' patterns say, not how many there are.</summary>
    private static ModelDto ToDto(GatewayDbContext db, Model m, bool hideRetired, bool patterns = true) => new(
        m.Alias, m.Kind, m.DefaultVersion,
        m.CanaryVersion is { } cv && m.CanaryPercent is { } cp ? new CanarySpec(cv, cp) : null, m.Tokenizer, m.Description,
        [.. m.Versions.Where(v => !hideRetired || v.Status != VersionStatus.Retired).OrderBy(v => v.SortOrder).ThenBy(v => v.Name, StringComparer.Ordinal)
            .Select(v => CatalogMapping.ToDto(v, db.StampOf(v), patterns))]);
}
