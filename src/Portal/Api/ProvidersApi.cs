using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary><c>/api/providers</c> (platform admins).</summary>
internal sealed class ProvidersApi(HttpClient http, IAccessTokenSource tokens) : ApiClient(http, tokens)
{
    public Task<PagedResult<ProviderDto>> ListAsync(ProviderQuery query, CancellationToken ct) => GetAsync<PagedResult<ProviderDto>>("api/providers", query, ct);

    public Task<ProviderDto> CreateAsync(CreateProviderRequest request, CancellationToken ct) => SendAsync<ProviderDto>(HttpMethod.Post, "api/providers", request, ct);

    public Task<ProviderDto> UpdateAsync(string id, UpdateProviderRequest request, CancellationToken ct) =>
        SendAsync<ProviderDto>(HttpMethod.Put, $"api/providers/{Uri.EscapeDataString(id)}", request, ct);

    public Task DeleteAsync(string id, CancellationToken ct) => SendAsync(HttpMethod.Delete, $"api/providers/{Uri.EscapeDataString(id)}", null, ct);
}
