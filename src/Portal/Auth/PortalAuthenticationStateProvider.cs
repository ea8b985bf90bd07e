using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Gateway.Portal.Auth;

/// <summary>
/// The circuit's authentication state, checked every minute against the token store: a session
/// signed out in another tab (or dropped for idleness) ends in open circuits too.
/// </summary>
internal sealed class PortalAuthenticationStateProvider(ILoggerFactory loggerFactory, TokenStore store)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var sessionId = authenticationState.User.FindFirst(PortalClaims.SessionId)?.Value;
        return Task.FromResult(sessionId is not null && store.Contains(sessionId));
    }
}
