using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary><c>/api/providers</c> (platform admins; with change control on, a change waits for a second one: see <see cref="ChangeOutcome"/>).</summary>
internal sealed class ProvidersApi(HttpClient http, IAccessTokenSource tokens) : ApiClient(http, tokens)
{
    public Task<PagedResult<ProviderDto>> ListAsync(ProviderQuery query, CancellationToken ct) => GetAsync<PagedResult<ProviderDto>>("api/providers", query, ct);

    public Task<ChangeOutcome<ProviderDto>> CreateAsync(CreateProviderRequest request, CancellationToken ct) => ProposeAsync<ProviderDto>(HttpMethod.Post, "api/providers", request, ct);

    public Task<ChangeOutcome<ProviderDto>> UpdateAsync(string id, UpdateProviderRequest request, CancellationToken ct) =>
        ProposeAsync<ProviderDto>(HttpMethod.Put, $"api/providers/{Uri.EscapeDataString(id)}", request, ct);

    /// <summary>Cuts the provider off at once (never held: it only takes traffic away); 409 when it is suspended already.</summary>
    public Task<ProviderDto> SuspendAsync(string id, string reason, CancellationToken ct) =>
        SendAsync<ProviderDto>(HttpMethod.Post, $"api/providers/{Uri.EscapeDataString(id)}/suspend", new SuspendProviderRequest(reason), ct);

    /// <summary>Gives the provider its traffic back: applied, or held for a second platform admin; 409 when it is not suspended.</summary>
    public Task<ChangeOutcome<ProviderDto>> ResumeAsync(string id, CancellationToken ct) =>
        ProposeAsync<ProviderDto>(HttpMethod.Post, $"api/providers/{Uri.EscapeDataString(id)}/resume", null, ct);

    public Task<ChangeOutcome> DeleteAsync(string id, CancellationToken ct) => ProposeAsync(HttpMethod.Delete, $"api/providers/{Uri.EscapeDataString(id)}", null, ct);
}
