using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary><c>/api/subscriptions</c>: a team's grants with this month's settled usage.</summary>
internal sealed class SubscriptionsApi(HttpClient http, IAccessTokenSource tokens) : ApiClient(http, tokens)
{
    public Task<PagedResult<SubscriptionDto>> ListAsync(SubscriptionQuery query, CancellationToken ct) =>
        GetAsync<PagedResult<SubscriptionDto>>("api/subscriptions", query, ct);

    public Task<AccessRequestDto> RequestBudgetAsync(string id, CreateBudgetIncreaseRequest request, CancellationToken ct) =>
        SendAsync<AccessRequestDto>(HttpMethod.Post, $"api/subscriptions/{Uri.EscapeDataString(id)}/budget-requests", request, ct);

    public Task<SubscriptionDto> EndAsync(string id, CancellationToken ct) =>
        SendAsync<SubscriptionDto>(HttpMethod.Post, $"api/subscriptions/{Uri.EscapeDataString(id)}/end", null, ct);
}
