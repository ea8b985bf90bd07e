namespace Gateway.Proxy.Policies.Metering;

internal static class MeteringExtensions
{
    internal static IServiceCollection AddMetering(this IServiceCollection services)
    {
        services.AddSingleton<MeteringMetrics>();
        return services;
    }

    /// <summary>Policy 6: usage records and the settlement of reservations (wraps the upstream call).</summary>
    public static IApplicationBuilder UseMetering(this IApplicationBuilder app) =>
        app.UseMiddleware<MeteringMiddleware>();
}
