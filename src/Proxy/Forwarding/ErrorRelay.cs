using Gateway.Contracts.Errors;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Providers;
using Gateway.Proxy.Providers.Translation;
using Gateway.Proxy.Relay;

namespace Gateway.Proxy.Forwarding;

/// <summary>
/// Answers an upstream error status. The provider's 429 and 5xx become the gateway's own errors
/// (<c>rate_limit_exceeded</c> with its <c>Retry-After</c>; 502/503/504 upstream errors); its
/// 401/403/404 mean the deployment is misconfigured (the client's key was fine) and become 502;
/// other client errors (400, 413, 422, …) are relayed in the client's format.
/// </summary>
internal sealed class ErrorRelay(TimeProvider time)
{
    private const int MaxErrorBody = 64 * 1024;

    public async Task RelayAsync(HttpContext context, GatewayRequest request, UpstreamPlan plan, HttpResponseMessage response, TimeSpan idle)
    {
        var status = (int)response.StatusCode;
        var body = await ReadAsync(context, response, idle);
        var retryAfter = response.Headers.RetryAfter?.ToString();
        context.Response.Clear();
        var (message, _) = ResponseBodies.ReadError(body);
        var detail = string.IsNullOrWhiteSpace(message) ? "" : ": " + message;
        switch (status)
        {
            case 429:
                if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter;
                await GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.RateLimitExceeded,
                    $"The upstream provider is rate limiting requests{detail}", outcome: RelayOutcome.UpstreamError);
                return;
            case >= 500:
                var code = status switch
                {
                    503 => GatewayErrorCodes.UpstreamUnavailable,
                    504 => GatewayErrorCodes.UpstreamTimeout,
                    _ => GatewayErrorCodes.UpstreamError,
                };
                await GatewayErrorWriter.WriteAsync(context, code, $"The upstream provider failed with status {status}{detail}", outcome: RelayOutcome.UpstreamError);
                return;
            case 401 or 403 or 404:
                await GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.UpstreamError,
                    $"The upstream provider refused the gateway's request with status {status} (the deployment may be misconfigured){detail}", outcome: RelayOutcome.UpstreamError);
                return;
        }

        var anthropicClient = request.ClientFormat == ClientFormat.Anthropic;
        var relayed = plan.Translation != ResponseTranslation.None || message is null && body.Length == 0
            ? ResponseBodies.ErrorBody(body, status, anthropicClient)
            : body;
        request.ErrorCode = "upstream_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        request.Complete(RelayOutcome.UpstreamError);
        context.Response.StatusCode = status;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString() is { } type && plan.Translation == ResponseTranslation.None && relayed == body
            ? type
            : "application/json";
        context.Response.ContentLength = relayed.Length;
        request.FirstByteTimestamp ??= time.GetTimestamp();
        await context.Response.Body.WriteAsync(relayed, context.RequestAborted);
    }

    private async Task<byte[]> ReadAsync(HttpContext context, HttpResponseMessage response, TimeSpan idle)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            using var reader = new UpstreamReader(stream, idle, context.RequestAborted, time);
            var buffer = new byte[MaxErrorBody];
            var length = 0;
            while (length < buffer.Length)
            {
                var read = await reader.ReadAsync(buffer.AsMemory(length));
                if (read == 0) break;
                length += read;
            }
            return buffer[..length];
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or UpstreamIdleException && !context.RequestAborted.IsCancellationRequested)
        {
            return [];
        }
    }
}
