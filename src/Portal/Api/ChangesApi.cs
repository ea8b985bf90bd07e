using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary>
/// <c>/api/changes</c> (platform admins): catalog, provider and role changes held for a second platform
/// admin (four eyes). Nobody approves their own; only its proposer withdraws one.
/// </summary>
internal sealed class ChangesApi(HttpClient http, IAccessTokenSource tokens) : ApiClient(http, tokens)
{
    /// <summary>Newest first; every status when <paramref name="status"/> is null.</summary>
    public Task<PagedResult<ChangeDto>> ListAsync(ChangeStatus? status, int page, int pageSize, CancellationToken ct) =>
        GetAsync<PagedResult<ChangeDto>>("api/changes", new ChangeQuery { Status = status is { } s ? JsonNaming.EnumValue(s) : null, Page = page, PageSize = pageSize }, ct);

    public Task<ChangeDto> GetAsync(string id, CancellationToken ct) => GetAsync<ChangeDto>($"api/changes/{E(id)}", null, ct);

    /// <summary>Applies the held call: the answer is <c>applied</c>, or <c>failed</c> when it no longer applies (its result says why).</summary>
    public Task<ChangeDto> ApproveAsync(string id, CancellationToken ct) => SendAsync<ChangeDto>(HttpMethod.Post, $"api/changes/{E(id)}/approve", null, ct);

    public Task<ChangeDto> RejectAsync(string id, RejectChangeRequest request, CancellationToken ct) =>
        SendAsync<ChangeDto>(HttpMethod.Post, $"api/changes/{E(id)}/reject", request, ct);

    public Task<ChangeDto> WithdrawAsync(string id, CancellationToken ct) => SendAsync<ChangeDto>(HttpMethod.Post, $"api/changes/{E(id)}/withdraw", null, ct);

    private static string E(string segment) => Uri.EscapeDataString(segment);
}
