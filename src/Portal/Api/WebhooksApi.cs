using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary><c>/api/webhooks</c>: the configured webhooks (their host, never the URL) and how their deliveries go.</summary>
internal sealed class WebhooksApi(HttpClient http, IAccessTokenSource tokens) : ApiClient(http, tokens)
{
    public Task<IReadOnlyList<WebhookStatusDto>> ListAsync(CancellationToken ct) => GetAsync<IReadOnlyList<WebhookStatusDto>>("api/webhooks", null, ct);

    /// <summary>Sends the webhook a <c>webhook.test</c> event now; whether its receiver took it.</summary>
    public Task<WebhookTestDto> TestAsync(string name, CancellationToken ct) =>
        SendAsync<WebhookTestDto>(HttpMethod.Post, $"api/webhooks/{Uri.EscapeDataString(name)}/test", null, ct);
}
