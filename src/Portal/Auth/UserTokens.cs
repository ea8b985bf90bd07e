namespace Gateway.Portal.Auth;

/// <summary>The tokens of one signed-in session, as the control plane's token endpoint issued them.</summary>
/// <param name="ExpiresAt">When <paramref name="AccessToken"/> expires.</param>
internal sealed record UserTokens(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt, string? IdToken);
