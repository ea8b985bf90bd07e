using Gateway.Contracts.Errors;
using Gateway.Proxy.Pipeline;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Hosting;

/// <summary>
/// Keeps the management endpoints off the port applications call (<c>Proxy:ManagementPort</c>):
/// <c>/metrics</c> names teams, model versions, deployments and providers with their traffic, which
/// is not for every caller of the gateway to read. With a management port set, <c>/metrics</c>
/// answers only on it (elsewhere the gateway's 404), and that port serves nothing but
/// <c>/metrics</c>, <c>/health</c> and <c>/alive</c>, so an ingress that routes the traffic port
/// cannot reach it. The port is told apart by the connection's local port, never by the
/// <c>Host</c> header, which the caller writes.
/// </summary>
internal static class ManagementPort
{
    public static IApplicationBuilder UseManagementPort(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<ProxyOptions>>().Value.ManagementPort is not { } port) return app;
        return app.Use((context, next) =>
        {
            var path = context.Request.Path;
            var metrics = path.StartsWithSegments("/metrics");
            if (context.Connection.LocalPort == port)
            {
                return metrics || path.StartsWithSegments("/health") || path.StartsWithSegments("/alive")
                    ? next(context)
                    : GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.NotFound, $"Unknown path {path} on the management port, which serves /metrics, /health and /alive.");
            }
            return metrics
                ? GatewayErrorWriter.WriteAsync(context, GatewayErrorCodes.NotFound, $"Unknown path {path}.")
                : next(context);
        });
    }
}
