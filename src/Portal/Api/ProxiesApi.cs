using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary><c>/api/proxies</c> and <c>/api/snapshot</c>: the proxy fleet and the snapshot it should hold.</summary>
internal sealed class ProxiesApi(HttpClient http, IAccessTokenSource tokens) : ApiClient(http, tokens)
{
    public Task<PagedResult<ProxyNodeDto>> ListAsync(ProxyNodeQuery query, CancellationToken ct) => GetAsync<PagedResult<ProxyNodeDto>>("api/proxies", query, ct);

    public Task<SnapshotInfoDto> SnapshotAsync(CancellationToken ct) => GetAsync<SnapshotInfoDto>("api/snapshot", null, ct);
}
