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
/// <para>
/// What the provider says about the bank's own account stays with the operators: the message of a
/// 401/403/404, 429 or 5xx (an echoed or masked provider key, the organisation id, the account's
/// limits) is logged (event 5007), never put in the client's answer. A relayed client error that
/// holds the provider credential's secret gets it replaced, and so does the logged message.
/// </para>
/// </summary>
internal sealed partial class ErrorRelay(TimeProvider time, ILogger<ErrorRelay> logger)
{
    private const int MaxErrorBody = 64 * 1024;
    private const int MaxLoggedMessage = 500;
    private static readonly byte[] Redacted = "[redacted]"u8.ToArray();

    public async Task RelayAsync(HttpContext context, GatewayRequest request, UpstreamPlan plan, HttpResponseMessage response, TimeSpan idle)
    {
        var status = (int)response.StatusCode;
        var secret = request.Deployment?.Provider.Credential.Secret;
        var body = WithoutSecret(await ReadAsync(context, response, idle), secret);
        var retryAfter = response.Headers.RetryAfter?.ToString();
        context.Response.Clear();
        var (message, _) = ResponseBodies.ReadError(body);
        if (status is 429 or >= 500 or 401 or 403 or 404 && !string.IsNullOrWhiteSpace(message))
            LogProviderMessage(request.RequestId, request.Deployment?.Provider.Id ?? "", request.Deployment?.Id ?? "", status, Loggable(message));
        switch (status)
        {
            case 429:
                if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter;
                await GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.RateLimitExceeded,
                    "The upstream provider is rate limiting requests; retry after the time it gave.", outcome: RelayOutcome.UpstreamError);
                return;
            case >= 500:
                var code = status switch
                {
                    503 => GatewayErrorCodes.UpstreamUnavailable,
                    504 => GatewayErrorCodes.UpstreamTimeout,
                    _ => GatewayErrorCodes.UpstreamError,
                };
                await GatewayErrorWriter.WriteAsync(context, code, $"The upstream provider failed with status {status}.", outcome: RelayOutcome.UpstreamError);
                return;
            case 401 or 403 or 404:
                await GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.UpstreamError,
                    $"The upstream provider refused the gateway's request with status {status} (the deployment may be misconfigured; the gateway's operators have the details).", outcome: RelayOutcome.UpstreamError);
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

    /// <summary><paramref name="body"/> with every occurrence of the provider's secret (as UTF-8) replaced.</summary>
    internal static byte[] WithoutSecret(byte[] body, string? secret)
    {
        if (string.IsNullOrEmpty(secret) || body.Length == 0) return body;
        var needle = System.Text.Encoding.UTF8.GetBytes(secret);
        if (body.AsSpan().IndexOf(needle) < 0) return body;
        var output = new List<byte>(body.Length);
        ReadOnlySpan<byte> rest = body;
        int at;
        while ((at = rest.IndexOf(needle)) >= 0)
        {
            output.AddRange(rest[..at]);
            output.AddRange(Redacted);
            rest = rest[(at + needle.Length)..];
        }
        output.AddRange(rest);
        return [.. output];
    }

    /// <summary>A provider's message as a log line may hold it: printable, and cut at 500 characters.</summary>
    private static string Loggable(string message)
    {
        var cut = message.Length > MaxLoggedMessage ? message[..MaxLoggedMessage] + "…" : message;
        return string.Create(cut.Length, cut, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++) span[i] = char.IsControl(text[i]) ? '?' : text[i];
        });
    }

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "Request {RequestId}: provider {Provider} (deployment {Deployment}) answered {Status}: {ProviderMessage}")]
    private partial void LogProviderMessage(string requestId, string provider, string deployment, int status, string providerMessage);

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
