namespace Gateway.Portal.Auth;

/// <summary>Claim types of the Portal's cookie principal (OIDC claims kept as the control plane names them).</summary>
internal static class PortalClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Email = "email";
    public const string Role = "role";

    /// <summary>The key of the signed-in session's tokens in the <see cref="TokenStore"/>.</summary>
    public const string SessionId = "portal_session";
}
