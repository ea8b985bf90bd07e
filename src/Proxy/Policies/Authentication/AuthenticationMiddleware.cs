using Gateway.Contracts.Errors;
using Gateway.Proxy.Pipeline;

namespace Gateway.Proxy.Policies.Authentication;

/// <summary>
/// Policy 1: the caller's API key. Every refusal is the same 401 <c>invalid_api_key</c> (missing,
/// malformed, unknown, wrong secret, revoked or expired), so the answer tells nothing about which ids exist.
/// </summary>
internal sealed class AuthenticationMiddleware(RequestDelegate next, TimeProvider time, AuthenticationLog log, AuthenticationMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        var result = KeyAuthenticator.Authenticate(request.Snapshot!, PresentedCredential.Find(context.Request), time.GetUtcNow(), out var key);
        if (result == AuthenticationResult.Success)
        {
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
