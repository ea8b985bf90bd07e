namespace Gateway.Portal.Api;

/// <summary>The signed-in user's access token for the control plane's API.</summary>
internal interface IAccessTokenSource
{
    Task<string> GetAccessTokenAsync(CancellationToken cancellationToken);
}
