namespace Gateway.Proxy.Policies.Routing;

internal static class RoutingExtensions
{
    internal static IServiceCollection AddGatewayRouting(this IServiceCollection services)
    {
        services.AddSingleton<DeploymentHealthRegistry>();
        services.AddSingleton<RoutingLog>();
        services.AddSingleton<RoutingMetrics>();
        return services;
    }

    /// <summary>Policy 4: deployment choice (fail-over and breakers act in the forwarder).</summary>
    public static IApplicationBuilder UseGatewayRouting(this IApplicationBuilder app) =>
        app.UseMiddleware<RoutingMiddleware>();
}
