using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary><c>/api/audit</c>: the audit log, its chain verification (against a head kept elsewhere too), its signed head and its export.</summary>
internal sealed class AuditApi(HttpClient http, IAccessTokenSource tokens) : ApiClient(http, tokens)
{
    public Task<PagedResult<AuditEventDto>> ListAsync(AuditQuery query, CancellationToken ct) => GetAsync<PagedResult<AuditEventDto>>("api/audit", query, ct);

    public Task<AuditVerificationDto> VerifyAsync(CancellationToken ct) => GetAsync<AuditVerificationDto>("api/audit/verify", null, ct);

    /// <summary>Walks the chain and checks that it still holds <paramref name="head"/> (a sequence and hash kept outside the database).</summary>
    public Task<AuditVerificationDto> VerifyAgainstAsync(AuditVerifyQuery head, CancellationToken ct) => GetAsync<AuditVerificationDto>("api/audit/verify", head, ct);

    public Task<AuditHeadDto> HeadAsync(CancellationToken ct) => GetAsync<AuditHeadDto>("api/audit/head", null, ct);

    /// <summary>The export as the control plane streams it (<c>ndjson</c> or <c>csv</c>); the caller disposes it.</summary>
    public Task<HttpResponseMessage> ExportAsync(AuditQuery query, CancellationToken ct) =>
        SendRawAsync(HttpMethod.Get, QueryString.Build("api/audit/export", query), null, HttpCompletionOption.ResponseHeadersRead, ct);
}
