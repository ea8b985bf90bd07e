using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary><c>/api/access-requests</c>: developers ask, approvers decide (never their own request).</summary>
internal sealed class AccessRequestsApi(HttpClient http, IAccessTokenSource tokens) : ApiClient(http, tokens)
{
    public Task<PagedResult<AccessRequestDto>> ListAsync(AccessRequestQuery query, CancellationToken ct) =>
        GetAsync<PagedResult<AccessRequestDto>>("api/access-requests", query, ct);

    public Task<AccessRequestDto> CreateAsync(CreateAccessRequest request, CancellationToken ct) =>
        SendAsync<AccessRequestDto>(HttpMethod.Post, "api/access-requests", request, ct);

    public Task<AccessRequestDto> ApproveAsync(string id, ApproveAccessRequest request, CancellationToken ct) =>
        SendAsync<AccessRequestDto>(HttpMethod.Post, $"api/access-requests/{E(id)}/approve", request, ct);

    public Task<AccessRequestDto> RejectAsync(string id, RejectAccessRequest request, CancellationToken ct) =>
        SendAsync<AccessRequestDto>(HttpMethod.Post, $"api/access-requests/{E(id)}/reject", request, ct);

    public Task<AccessRequestDto> CancelAsync(string id, CancellationToken ct) =>
        SendAsync<AccessRequestDto>(HttpMethod.Post, $"api/access-requests/{E(id)}/cancel", null, ct);

    private static string E(string segment) => Uri.EscapeDataString(segment);
}
