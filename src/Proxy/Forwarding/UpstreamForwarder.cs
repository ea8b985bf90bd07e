using Gateway.Contracts.Errors;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.Routing;
using Gateway.Proxy.Providers;
using Gateway.Proxy.Providers.Translation;
using Gateway.Proxy.Relay;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Forwarding;

/// <summary>
/// The end of the pipeline: sends the request to the chosen deployment through YARP's
/// <see cref="IHttpForwarder"/> and, while nothing has reached the client, fails over to the
/// next deployment on connect errors, timeouts, 429 and 5xx (up to <c>Proxy:Routing:MaxAttempts</c>).
/// Each attempt's outcome feeds the deployment's circuit breaker.
/// </summary>
internal sealed class UpstreamForwarder(
    IHttpForwarder forwarder,
    UpstreamInvoker invoker,
    ResponseRelay relay,
    ErrorRelay errors,
    IOptions<ProxyOptions> options,
    RoutingLog log,
    RoutingMetrics metrics)
{
    private readonly int _maxAttempts = options.Value.Routing.MaxAttempts;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        var apiVersion = context.Request.Query["api-version"] is { Count: 1 } v ? v[0] : null;
        while (true)
        {
            var deployment = request.Deployment!;
            request.Attempts++;
            UpstreamPlan plan;
            try
            {
                plan = ProviderAdapter.Plan(request, deployment, apiVersion);
            }
            catch (TranslationException ex)
            {
                await GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.InvalidRequest, ex.Message, ex.Param);
                return;
            }

            var canRetry = request.Attempts < _maxAttempts && DeploymentSelector.HasAlternative(request);
            SetRequestBody(context, plan.Body);
            var transformer = new GatewayTransformer(request, deployment, plan, canRetry, relay, errors);
            var error = await forwarder.SendAsync(context, deployment.Provider.BaseUrl, invoker.Invoker, deployment.Provider.ForwarderConfig, transformer);

            var failure = Classify(context, error, transformer);
            if (failure is null)
            {
                Report(deployment, success: transformer.UpstreamStatus < 500);
                metrics.Attempt(deployment.Id, "ok");
                await FinishAsync(context, request, transformer);
                return;
            }
            if (failure == Failure.ClientGone)
            {
                request.Complete(RelayOutcome.ClientAborted);
                return;
            }

            var reason = ReasonOf(failure.Value, transformer.UpstreamStatus);
            metrics.Attempt(deployment.Id, reason);
            if (failure != Failure.RateLimited) Report(deployment, success: false);
            if (failure is not (Failure.TooLarge or Failure.Invalid) && !context.Response.HasStarted
                && request.Attempts < _maxAttempts && DeploymentSelector.TryNext(request))
            {
                log.FailingOver(request.RequestId, request.Attempts, deployment.Id, reason);
                context.Response.Clear();
                context.Features.Set<IForwarderErrorFeature>(null);
                continue;
            }
            log.Exhausted(request.RequestId, deployment.Id, reason);
            await WriteFinalErrorAsync(context, failure.Value, transformer.UpstreamStatus);
            return;
        }
    }

    private static void SetRequestBody(HttpContext context, ReadOnlyMemory<byte> body)
    {
        var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
        context.Request.Body = stream;
        context.Request.ContentLength = body.Length;
        context.Request.Headers.Remove("Transfer-Encoding");
    }

    private static Failure? Classify(HttpContext context, ForwarderError error, GatewayTransformer transformer)
    {
        if (context.RequestAborted.IsCancellationRequested) return Failure.ClientGone;
        switch (transformer.Result)
        {
            case AttemptResult.RetryableStatus:
                return transformer.UpstreamStatus == 429 ? Failure.RateLimited : Failure.ServerError;
            case AttemptResult.ErrorRelayed:
                return null;
            case AttemptResult.Relayed:
                return transformer.Relay switch
                {
                    RelayResult.FailedBeforeStart => Failure.Dropped,
                    RelayResult.TooLarge => Failure.TooLarge,
                    RelayResult.Invalid => Failure.Invalid,
                    _ => null,
                };
        }
        if (error is ForwarderError.RequestTimedOut || IsTimeout(context.Features.Get<IForwarderErrorFeature>()?.Exception))
            return Failure.Timeout;
        return Failure.Connect;
    }

    private static bool IsTimeout(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or OperationCanceledException) return true;
        }
        return false;
    }

    private void Report(Snapshots.CompiledDeployment deployment, bool success)
    {
        var health = deployment.Health;
        if (success)
        {
            if (health.ReportSuccess())
            {
                log.BreakerClosed(deployment.Id);
                metrics.Breaker(deployment.Id, "closed");
            }
        }
        else if (health.ReportFailure())
        {
            log.BreakerOpened(deployment.Id, health.ConsecutiveFailures);
            metrics.Breaker(deployment.Id, "open");
        }
    }

    private Task FinishAsync(HttpContext context, GatewayRequest request, GatewayTransformer transformer)
    {
        if (transformer.Result == AttemptResult.ErrorRelayed)
        {
            request.ResponseRelayed = true;
            return Task.CompletedTask;
        }
        switch (transformer.Relay)
        {
            case RelayResult.Completed:
                request.Complete(RelayOutcome.Completed);
                request.ResponseRelayed = true;
                break;
            case RelayResult.ClientAborted:
                request.Complete(RelayOutcome.ClientAborted);
                break;
            case RelayResult.UpstreamDropped:
                log.Dropped(request.RequestId, request.Deployment!.Id);
                Report(request.Deployment!, success: false);
                request.Complete(RelayOutcome.UpstreamDropped);
                break;
        }
        return Task.CompletedTask;
    }

    private static Task WriteFinalErrorAsync(HttpContext context, Failure failure, int status) => failure switch
    {
        Failure.Timeout => GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.UpstreamTimeout,
            "The upstream provider did not answer in time.", outcome: RelayOutcome.UpstreamError),
        Failure.RateLimited => GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.RateLimitExceeded,
            "Every deployment of this model is rate limiting requests; retry later.", outcome: RelayOutcome.UpstreamError),
        Failure.ServerError when status == 503 => GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.UpstreamUnavailable,
            "The upstream provider is unavailable (503).", outcome: RelayOutcome.UpstreamError),
        Failure.ServerError => GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.UpstreamError,
            $"The upstream provider failed with status {status}.", outcome: RelayOutcome.UpstreamError),
        Failure.Dropped => GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.UpstreamError,
            "The upstream provider closed the connection before answering.", outcome: RelayOutcome.UpstreamError),
        Failure.TooLarge => GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.UpstreamError,
            "The upstream response is too large to translate.", outcome: RelayOutcome.UpstreamError),
        Failure.Invalid => GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.UpstreamError,
            "The upstream response could not be read.", outcome: RelayOutcome.UpstreamError),
        _ => GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.UpstreamError,
            "The upstream provider could not be reached.", outcome: RelayOutcome.UpstreamError),
    };

    private static string ReasonOf(Failure failure, int status) => failure switch
    {
        Failure.Timeout => "timeout",
        Failure.RateLimited => "status_429",
        Failure.ServerError => status switch { 500 => "status_500", 502 => "status_502", 503 => "status_503", 504 => "status_504", _ => "status_5xx" },
        Failure.Dropped => "dropped",
        Failure.TooLarge => "too_large",
        Failure.Invalid => "invalid",
        _ => "connect",
    };

    private enum Failure
    {
        ClientGone,
        Connect,
        Timeout,
        RateLimited,
        ServerError,
        Dropped,
        TooLarge,
        Invalid,
    }
}
