using Gateway.Contracts.Errors;
using Gateway.Proxy.Pipeline;

namespace Gateway.Proxy.Policies.Routing;

/// <summary>
/// Policy 4: chooses the first deployment (priority, weight, health). Fail-over to the next one
/// happens in the forwarder, which asks <see cref="DeploymentSelector"/> again.
/// </summary>
internal sealed class RoutingMiddleware(RequestDelegate next, RoutingLog log)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        if (DeploymentSelector.TryNext(request)) return next(context);
        log.NoDeployment(request.RequestId, request.Version!.Name);
        return GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.UpstreamUnavailable,
            $"No healthy deployment serves '{request.Version.Name}' right now; retry shortly.", outcome: Relay.RelayOutcome.UpstreamError);
    }
}
