using System.Net;
using System.Text.Json;
using Gateway.Portal.Api;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Gateway.Portal.Auth;

/// <summary>
/// Hands out a session's access token, refreshing it with the refresh token shortly before it
/// expires. One refresh per session at a time: the control plane rotates refresh tokens, so two
/// concurrent refreshes with the same token would fail (or revoke the chain).
/// </summary>
internal sealed partial class AccessTokenProvider(
    TokenStore store, IHttpClientFactory httpClientFactory, IOptionsMonitor<OpenIdConnectOptions> oidcOptions,
    IOptions<PortalOptions> options, TimeProvider time, ILogger<AccessTokenProvider> logger)
{
    /// <summary>The named <c>HttpClient</c> that calls the token endpoint.</summary>
    public const string HttpClientName = "oidc-token";

    public async Task<string> GetAccessTokenAsync(string sessionId, CancellationToken cancellationToken)
    {
        var session = store.Find(sessionId) ?? throw new SessionExpiredException();
        if (IsFresh(session.Tokens)) return session.Tokens.AccessToken;

        await session.RefreshGate.WaitAsync(cancellationToken);
        try
        {
            var current = session.Tokens;
            if (IsFresh(current)) return current.AccessToken; // another caller refreshed while we waited
            if (current.RefreshToken is not { } refreshToken)
            {
                store.Remove(sessionId);
                throw new SessionExpiredException();
            }

            UserTokens? refreshed;
            try
            {
                refreshed = await RefreshAsync(refreshToken, current, cancellationToken);
            }
            catch (ApiException) when (current.ExpiresAt > time.GetUtcNow())
            {
                // The control plane is unreachable for now, but the token still works: use it and retry later.
                return current.AccessToken;
            }

            if (refreshed is null)
            {
                store.Remove(sessionId);
                throw new SessionExpiredException();
            }
            session.Tokens = refreshed;
            LogRefreshed(logger, refreshed.ExpiresAt);
            return refreshed.AccessToken;
        }
        finally
        {
            session.RefreshGate.Release();
        }
    }

    private bool IsFresh(UserTokens tokens) => tokens.ExpiresAt - options.Value.TokenRefreshMargin > time.GetUtcNow();

    /// <summary>Redeems the refresh token; null when the control plane refused it (the session is over).</summary>
    private async Task<UserTokens?> RefreshAsync(string refreshToken, UserTokens current, CancellationToken cancellationToken)
    {
        var endpoint = await TokenEndpointAsync(cancellationToken);
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = options.Value.ClientId,
        });
        HttpResponseMessage response;
        try
        {
            response = await httpClientFactory.CreateClient(HttpClientName).PostAsync(endpoint, form, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(logger, ex.Message);
            throw ApiException.Unreachable(ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                LogRefused(logger, (int)response.StatusCode, ErrorOf(body));
                return null;
            }
            if (!response.IsSuccessStatusCode) throw new ApiException((int)response.StatusCode, "Token refresh failed", null);

            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var accessToken = root.GetProperty("access_token").GetString() ?? throw new ApiException(502, "The token endpoint returned no access token", null);
            var expiresIn = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 3600;
            return new UserTokens(
                accessToken,
                root.TryGetProperty("refresh_token", out var r) ? r.GetString() : current.RefreshToken,
                time.GetUtcNow().AddSeconds(expiresIn),
                root.TryGetProperty("id_token", out var i) ? i.GetString() : current.IdToken);
        }
    }

    private async Task<Uri> TokenEndpointAsync(CancellationToken cancellationToken)
    {
        var oidc = oidcOptions.Get(OpenIdConnectDefaults.AuthenticationScheme);
        try
        {
            var configuration = oidc.Configuration ?? await oidc.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
            return new Uri(configuration.TokenEndpoint);
        }
        catch (InvalidOperationException ex)
        {
            LogUnreachable(logger, ex.Message);
            throw ApiException.Unreachable(ex);
        }
    }

    private static string ErrorOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("error", out var error) ? error.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Refreshed a session's access token; it expires at {ExpiresAt}")]
    private static partial void LogRefreshed(ILogger logger, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "The control plane refused a refresh token ({Status} {Error}); the session ends")]
    private static partial void LogRefused(ILogger logger, int status, string error);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Token refresh could not reach the control plane: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string reason);
}
