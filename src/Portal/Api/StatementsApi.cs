using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary><c>/api/statements</c>: monthly chargeback statements, month close and adjustments.</summary>
internal sealed class StatementsApi(HttpClient http, IAccessTokenSource tokens) : ApiClient(http, tokens)
{
    public Task<PagedResult<StatementPeriodDto>> ListAsync(StatementPeriodQuery query, CancellationToken ct) =>
        GetAsync<PagedResult<StatementPeriodDto>>("api/statements", query, ct);

    public Task<StatementDto> GetAsync(string period, CancellationToken ct) => GetAsync<StatementDto>($"api/statements/{E(period)}", null, ct);

    public Task<StatementDto> CloseAsync(string period, CancellationToken ct) => SendAsync<StatementDto>(HttpMethod.Post, $"api/statements/{E(period)}/close", null, ct);

    public Task<AdjustmentDto> AdjustAsync(string period, CreateAdjustmentRequest request, CancellationToken ct) =>
        SendAsync<AdjustmentDto>(HttpMethod.Post, $"api/statements/{E(period)}/adjustments", request, ct);

    private static string E(string segment) => Uri.EscapeDataString(segment);
}
