using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace Gateway.Portal.Auth;

/// <summary>
/// The signed-in user of this scope: in an interactive circuit from the circuit's authentication
/// state (no <c>HttpContext</c> there), in an HTTP endpoint from the request, set by the endpoint.
/// </summary>
internal sealed class CurrentUser(AuthenticationStateProvider authenticationState)
{
    private ClaimsPrincipal? _principal;

    /// <summary>Used by HTTP endpoints (e.g. exports), where the request's user is at hand.</summary>
    public void Use(ClaimsPrincipal principal) => _principal = principal;

    public async Task<ClaimsPrincipal> GetAsync()
    {
        if (_principal is not null) return _principal;
        return (await authenticationState.GetAuthenticationStateAsync()).User;
    }
}
