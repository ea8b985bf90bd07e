using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Contracts.Identity;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.ControlPlane;

/// <summary>
/// The proxy's OAuth access token for the control plane (client credentials, scope
/// <c>gateway.proxy</c>). One token is shared by the snapshot feed, heartbeats and usage shipping;
/// it is renewed when 80 % of its lifetime has passed, and at once after the control plane
/// refused it (<see cref="Invalidate"/>). Concurrent callers share one request. Neither the
/// secret nor the token is ever logged.
/// </summary>
internal sealed partial class ControlPlaneTokenClient(
    IHttpClientFactory httpFactory, IOptions<ControlPlaneOptions> options, TimeProvider time, ILogger<ControlPlaneTokenClient> logger)
{
    public const string HttpClientName = "gateway-control-plane";
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private AccessToken? _token;
    private int _requested;

    /// <summary>How many tokens were requested from the token endpoint.</summary>
    public int Requested => Volatile.Read(ref _requested);

    /// <summary>A token that is not due for renewal; requests one when needed.</summary>
    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _token) is { } fresh && time.GetUtcNow() < fresh.RenewAt) return fresh.Value;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_token is { } current && time.GetUtcNow() < current.RenewAt) return current.Value;
            var token = await RequestAsync(cancellationToken);
            Volatile.Write(ref _token, token);
            return token.Value;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> after the control plane refused it (a newer one is kept).</summary>
    public void Invalidate(string token)
    {
        var current = Volatile.Read(ref _token);
        if (current is not null && current.Value == token && Interlocked.CompareExchange(ref _token, null, current) == current)
            LogInvalidated();
    }

    private async Task<AccessToken> RequestAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var endpoint = o.TokenEndpoint();
        Interlocked.Increment(ref _requested);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "client_credentials"),
                new("client_id", o.ClientId),
                new("client_secret", o.ClientSecret ?? ""),
                new("scope", GatewayScopes.Proxy),
            ]),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var obtainedAt = time.GetUtcNow();
        using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        JsonElement json;
        try
        {
            json = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            throw new ControlPlaneAuthenticationException($"The token endpoint {endpoint} answered {(int)response.StatusCode} without a JSON body.");
        }
        if (!response.IsSuccessStatusCode)
        {
            var error = Text(json, "error") ?? "no error code";
            var description = Text(json, "error_description");
            throw new ControlPlaneAuthenticationException(
                $"The token endpoint {endpoint} refused client '{o.ClientId}': {(int)response.StatusCode} {error}{(description is null ? "" : ": " + description)}.");
        }
        if (Text(json, "access_token") is not { Length: > 0 } value)
            throw new ControlPlaneAuthenticationException($"The token endpoint {endpoint} answered without an access_token.");
        var lifetime = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("expires_in", out var e) && e.TryGetInt64(out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultLifetime;
        var token = new AccessToken(value, obtainedAt + lifetime * 0.8, obtainedAt + lifetime);
        LogObtained(o.ClientId, token.ExpiresAt);
        return token;
    }

    private static string? Text(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private sealed record AccessToken(string Value, DateTimeOffset RenewAt, DateTimeOffset ExpiresAt);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Access token for client {ClientId} obtained (expires {ExpiresAt:o})")]
    private partial void LogObtained(string clientId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "The control plane refused the access token; a new one will be requested")]
    private partial void LogInvalidated();
}

/// <summary>The token endpoint refused the proxy's client credentials, or answered nonsense.</summary>
internal sealed class ControlPlaneAuthenticationException(string message) : Exception(message);
