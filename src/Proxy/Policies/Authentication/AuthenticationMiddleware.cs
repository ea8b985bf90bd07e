using Gateway.Contracts.Errors;
using Gateway.Contracts.Keys;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Snapshots;

namespace Gateway.Proxy.Policies.Authentication;

/// <summary>
/// Policy 1: the caller's API key. Every refusal is the same 401 <c>invalid_api_key</c> (missing,
/// malformed, unknown, wrong secret, revoked or expired), so the answer tells nothing about which ids exist.
/// A valid key used from outside the networks it is limited to is a 403 <c>ip_not_allowed</c>
/// (<see cref="ClientAddress"/>): only someone holding the key learns that.
/// A connection that presents the same header value again, under the same snapshot, is not hashed
/// again (<see cref="ConnectionCredential"/>).
/// </summary>
internal sealed class AuthenticationMiddleware(RequestDelegate next, TimeProvider time, ClientAddress clientAddress, AuthenticationLog log, AuthenticationMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        var snapshot = request.Snapshot!;
        var presented = PresentedCredential.Find(context.Request, out var source);
        var now = time.GetUtcNow();
        if (ConnectionCredential.Find(context, source, snapshot, now) is { } known) return AdmitAsync(context, request, known);
        var result = KeyAuthenticator.Authenticate(snapshot, presented, now, out var key);
        if (result == AuthenticationResult.Success)
        {
            ConnectionCredential.Remember(context, source, snapshot, key!);
            return AdmitAsync(context, request, key!);
        }
        metrics.Refused(result);
        log.Refused(request.RequestId, result);
        var message = result == AuthenticationResult.Missing
            ? "You didn't provide an API key. Send it in an 'Authorization: Bearer' header (or 'api-key' / 'x-api-key')."
            : "Incorrect API key provided, or the key is expired or revoked.";
        return GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.InvalidApiKey, message);
    }

    /// <summary>A valid key, from a network it may be used from (checked per request: behind an ingress, one connection carries many callers).</summary>
    private Task AdmitAsync(HttpContext context, GatewayRequest request, CompiledKey key)
    {
        if (key.AllowedNetworks is { } networks && clientAddress.Of(context) is var address && (address is null || !ClientNetworks.Contains(networks, address)))
        {
            var from = address?.ToString() ?? "an unknown address";
            metrics.Refused(AuthenticationResult.NetworkNotAllowed);
            log.RefusedNetwork(request.RequestId, key.KeyId, from);
            return GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.IpNotAllowed,
                $"This API key may not be used from {from}: its team limited it to some networks (the key's allowed networks).");
        }
        request.Key = key;
        return next(context);
    }
}
