using Gateway.Portal.Api;

namespace Gateway.Portal.Auth;

/// <summary>The current user's access token, from the server-side token store by the session id in their cookie.</summary>
internal sealed class UserAccessTokenSource(CurrentUser user, AccessTokenProvider provider) : IAccessTokenSource
{
    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var principal = await user.GetAsync();
        var sessionId = principal.FindFirst(PortalClaims.SessionId)?.Value ?? throw new SessionExpiredException();
        return await provider.GetAccessTokenAsync(sessionId, cancellationToken);
    }
}
