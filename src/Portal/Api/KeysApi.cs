using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary><c>/api/keys</c>: a team's API keys; the secret comes back once, on create and rotate (not when the networks change).</summary>
internal sealed class KeysApi(HttpClient http, IAccessTokenSource tokens) : ApiClient(http, tokens)
{
    public Task<PagedResult<ApiKeyDto>> ListAsync(ApiKeyQuery query, CancellationToken ct) => GetAsync<PagedResult<ApiKeyDto>>("api/keys", query, ct);

    public Task<CreatedApiKeyDto> CreateAsync(CreateApiKeyRequest request, CancellationToken ct) =>
        SendAsync<CreatedApiKeyDto>(HttpMethod.Post, "api/keys", request, ct);

    public Task<CreatedApiKeyDto> RotateAsync(string keyId, RotateApiKeyRequest request, CancellationToken ct) =>
        SendAsync<CreatedApiKeyDto>(HttpMethod.Post, $"api/keys/{Uri.EscapeDataString(keyId)}/rotate", request, ct);

    /// <summary>Replaces the networks the key may be used from (null: any); the secret stays the same.</summary>
    public Task<ApiKeyDto> SetNetworksAsync(string keyId, IReadOnlyList<string>? networks, CancellationToken ct) =>
        SendAsync<ApiKeyDto>(HttpMethod.Put, $"api/keys/{Uri.EscapeDataString(keyId)}/networks", new SetKeyNetworksRequest(networks), ct);

    public Task<ApiKeyDto> RevokeAsync(string keyId, CancellationToken ct) =>
        SendAsync<ApiKeyDto>(HttpMethod.Post, $"api/keys/{Uri.EscapeDataString(keyId)}/revoke", null, ct);
}
