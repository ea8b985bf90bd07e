using Gateway.Contracts.Errors;
using Gateway.Proxy.Relay;

namespace Gateway.Proxy.Pipeline;

/// <summary>
/// First middleware of every request: creates the <see cref="GatewayRequest"/> feature with its
/// request id, arranges the gateway's response headers (<c>x-request-id</c> always; the model
/// version, lifecycle and deployment headers once known), and turns anything that escapes the
/// pipeline into the documented error shape (bad framing → 400/413, a gateway fault → 500).
/// </summary>
internal sealed partial class GatewayRequestMiddleware(RequestDelegate next, TimeProvider time, ILogger<GatewayRequestMiddleware> logger)
{
    private long _lastArrivalTicks;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = new GatewayRequest(RequestIds.FromHeader(context.Request.Headers[GatewayHeaders.RequestId]), time.GetTimestamp(), Arrival());
        context.Features.Set(request);
        context.Response.OnStarting(static state =>
        {
            ApplyResponseHeaders((HttpContext)state);
            return Task.CompletedTask;
        }, context);
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex)
        {
            var code = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? GatewayErrorCodes.RequestTooLarge : GatewayErrorCodes.InvalidRequest;
            await GatewayErrorWriter.WriteAsync(context, code, code == GatewayErrorCodes.RequestTooLarge ? "The request body is too large." : "The request could not be read: " + ex.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            request.Complete(RelayOutcome.ClientAborted);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogUnhandled(ex, request.RequestId);
            await GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.InternalError,
                $"The gateway failed to process the request (request id {request.RequestId}).", outcome: RelayOutcome.UpstreamError);
        }
    }

    /// <summary>
    /// The arrival time, to the microsecond the ledger keeps, and later than every earlier request's
    /// on this proxy: with the node and the key it tells apart two requests that share an id (a caller
    /// may send the same <c>x-request-id</c> twice), so the ledger charges both.
    /// </summary>
    private DateTimeOffset Arrival()
    {
        var now = time.GetUtcNow().UtcTicks;
        now -= now % 10;
        while (true)
        {
            var last = Volatile.Read(ref _lastArrivalTicks);
            var next = Math.Max(now, last + 10);
            if (Interlocked.CompareExchange(ref _lastArrivalTicks, next, last) == last) return new DateTimeOffset(next, TimeSpan.Zero);
        }
    }

    private static void ApplyResponseHeaders(HttpContext context)
    {
        var request = context.Features.Get<GatewayRequest>();
        if (request is null) return;
        var headers = context.Response.Headers;
        headers[GatewayHeaders.RequestId] = request.RequestId;
        if (request.Version is { } version)
        {
            headers[GatewayHeaders.ModelVersion] = version.Name;
            if (version.DeprecationHeader is { } deprecation) headers[GatewayHeaders.Deprecation] = deprecation;
            if (version.SunsetHeader is { } sunset) headers[GatewayHeaders.Sunset] = sunset;
            if (version.SuccessorLinkHeader is { } link && version.DeprecationHeader is not null) headers.Link = link;
        }
        if (request.Redactions is { } redactions) headers[GatewayHeaders.Redacted] = redactions;
        if (request.Deployment is { } deployment && request.Attempts > 0)
            headers[GatewayHeaders.Deployment] = deployment.Id;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Request {RequestId} failed inside the gateway")]
    private partial void LogUnhandled(Exception exception, string requestId);
}
