using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary><c>/api/me</c>: who the signed-in user is to the control plane, and their teams.</summary>
internal sealed class MeApi(HttpClient http, IAccessTokenSource tokens) : ApiClient(http, tokens)
{
    public Task<MeDto> GetAsync(CancellationToken cancellationToken) => GetAsync<MeDto>("api/me", null, cancellationToken);
}
