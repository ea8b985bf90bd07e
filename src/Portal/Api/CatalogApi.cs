using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary>
/// <c>/api/models</c>: the model catalog (everyone reads, platform admins change; with change
/// control on, a change waits for a second platform admin: see <see cref="ChangeOutcome"/>).
/// </summary>
internal sealed class CatalogApi(HttpClient http, IAccessTokenSource tokens) : ApiClient(http, tokens)
{
    public Task<PagedResult<ModelDto>> ListAsync(ModelQuery query, CancellationToken ct) => GetAsync<PagedResult<ModelDto>>("api/models", query, ct);

    public Task<ModelDto> GetAsync(string alias, CancellationToken ct) => GetAsync<ModelDto>($"api/models/{E(alias)}", null, ct);

    public Task<ChangeOutcome<ModelDto>> CreateAsync(CreateModelRequest request, CancellationToken ct) => ProposeAsync<ModelDto>(HttpMethod.Post, "api/models", request, ct);

    public Task<ChangeOutcome<ModelDto>> UpdateAsync(string alias, UpdateModelRequest request, CancellationToken ct) =>
        ProposeAsync<ModelDto>(HttpMethod.Put, $"api/models/{E(alias)}", request, ct);

    public Task<ChangeOutcome<ModelVersionDto>> AddVersionAsync(string alias, CreateVersionRequest request, CancellationToken ct) =>
        ProposeAsync<ModelVersionDto>(HttpMethod.Post, $"api/models/{E(alias)}/versions", request, ct);

    public Task<ChangeOutcome<ModelVersionDto>> UpdateVersionAsync(string alias, string version, UpdateVersionRequest request, CancellationToken ct) =>
        ProposeAsync<ModelVersionDto>(HttpMethod.Put, $"api/models/{E(alias)}/versions/{E(version)}", request, ct);

    public Task<ChangeOutcome<ModelVersionDto>> UpdatePricesAsync(string alias, string version, UpdatePricesRequest request, CancellationToken ct) =>
        ProposeAsync<ModelVersionDto>(HttpMethod.Put, $"api/models/{E(alias)}/versions/{E(version)}/prices", request, ct);

    public Task<ChangeOutcome<DeploymentDto>> AddDeploymentAsync(string alias, string version, CreateDeploymentRequest request, CancellationToken ct) =>
        ProposeAsync<DeploymentDto>(HttpMethod.Post, $"api/models/{E(alias)}/versions/{E(version)}/deployments", request, ct);

    public Task<ChangeOutcome> RemoveDeploymentAsync(string alias, string version, string deploymentId, CancellationToken ct) =>
        ProposeAsync(HttpMethod.Delete, $"api/models/{E(alias)}/versions/{E(version)}/deployments/{E(deploymentId)}", null, ct);

    private static string E(string segment) => Uri.EscapeDataString(segment);
}
