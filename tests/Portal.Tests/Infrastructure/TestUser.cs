using System.Security.Claims;
using Gateway.Portal.Auth;
using Microsoft.AspNetCore.Components.Authorization;

namespace Gateway.Portal.Tests.Infrastructure;

/// <summary>The signed-in user of a component test, with the claims the Portal's cookie principal carries.</summary>
public sealed class TestUser : AuthenticationStateProvider
{
    public const string DefaultId = "user-test";

    private ClaimsPrincipal _principal = new(new ClaimsIdentity());

    public void SignIn(string name, string id, params string[] roles)
    {
        var claims = new List<Claim>
        {
            new(PortalClaims.Subject, id), new(PortalClaims.Name, name), new(PortalClaims.Email, $"{name}@demo.bank"), new(PortalClaims.SessionId, "session-test"),
        };
        claims.AddRange(roles.Select(r => new Claim(PortalClaims.Role, r)));
        _principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "test", PortalClaims.Name, PortalClaims.Role));
        NotifyAuthenticationStateChanged(GetAuthenticationStateAsync());
    }

    public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(_principal));
}

internal sealed class FixedTokenSource : Gateway.Portal.Api.IAccessTokenSource
{
    public const string Token = "test-access-token";

    public Task<string> GetAccessTokenAsync(CancellationToken cancellationToken) => Task.FromResult(Token);
}
