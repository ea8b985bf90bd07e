using Gateway.Contracts.Errors;
using Gateway.Proxy.Pipeline;

namespace Gateway.Proxy.Policies.Authentication;

/// <summary>
/// Policy 1: the caller's API key. Every refusal is the same 401 <c>invalid_api_key</c> (missing,
/// malformed, unknown, wrong secret, revoked or expired), so the answer tells nothing about which ids exist.
/// A connection that presents the same header value again, under the same snapshot, is not hashed
/// again (<see cref="ConnectionCredential"/>).
/// </summary>
internal sealed class AuthenticationMiddleware(RequestDelegate next, TimeProvider time, AuthenticationLog log, AuthenticationMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        var snapshot = request.Snapshot!;
        var presented = PresentedCredential.Find(context.Request, out var source);
        var now = time.GetUtcNow();
        if (ConnectionCredential.Find(context, source, snapshot, now) is { } known)
        {
            request.Key = known;
            return next(context);
        }
        var result = KeyAuthenticator.Authenticate(snapshot, presented, now, out var key);
        if (result == AuthenticationResult.Success)
        {
            ConnectionCredential.Remember(context, source, snapshot, key!);
            request.Key = key;
            return next(context);
        }
        metrics.Refused(result);
        log.Refused(request.RequestId, result);
        var message = result == AuthenticationResult.Missing
            ? "You didn't provide an API key. Send it in an 'Authorization: Bearer' header (or 'api-key' / 'x-api-key')."
            : "Incorrect API key provided, or the key is expired or revoked.";
        return GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.InvalidApiKey, message);
    }
}
