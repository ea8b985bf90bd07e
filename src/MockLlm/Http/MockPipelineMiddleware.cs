using Gateway.Contracts.Errors;

namespace Gateway.MockLlm.Http;

/// <summary>
/// Outermost middleware: assigns and echoes the request id, and is the global exception guard.
/// <see cref="MockHttpException"/> becomes the provider's error body with its status; a bad
/// request Kestrel detected becomes a 400; anything unexpected becomes the provider-shaped 500
/// (tests show no input reaches it). A client that went away gets nothing.
/// </summary>
internal sealed partial class MockPipelineMiddleware(RequestDelegate next, ILogger<MockPipelineMiddleware> logger)
{
    private const int MaxRequestIdLength = 200;

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = context.Request.Headers[GatewayHeaders.RequestId].ToString();
        if (requestId.Length is 0 or > MaxRequestIdLength) requestId = Guid.CreateVersion7().ToString("N");
        var feature = new MockRequestFeature(requestId);
        context.Features.Set(feature);
        context.Response.Headers[GatewayHeaders.RequestId] = requestId;

        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the handler already recorded what it sent.
        }
        catch (MockHttpException ex)
        {
            await FailAsync(context, requestId, ex.Status, ex.Message, ex.Param, ex.Code);
        }
        catch (BadHttpRequestException ex)
        {
            await FailAsync(context, requestId, ex.StatusCode, "The request could not be read: " + ex.Message, null, null);
        }
#pragma warning disable CA1031 // the guard exists to catch everything
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogUnexpected(logger, ex, context.Request.Method, context.Request.Path.Value ?? "");
            await FailAsync(context, requestId, StatusCodes.Status500InternalServerError,
                "The mock server had an unexpected error while processing your request.", null, null);
        }
        finally
        {
            feature.Tally?.Leave();
        }
    }

    private static async Task FailAsync(HttpContext context, string requestId, int status, string message, string? param, string? code)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }
        context.Response.Clear();
        context.Response.Headers[GatewayHeaders.RequestId] = requestId;
        try
        {
            await ProviderErrors.WriteAsync(context, ProviderPaths.Of(context.Request.Path), status, message, param, code);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unexpected error serving {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
