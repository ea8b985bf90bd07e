namespace Gateway.Proxy.Policies.ContentGuard;

internal static class ContentGuardExtensions
{
    internal static IServiceCollection AddContentGuard(this IServiceCollection services)
    {
        services.AddSingleton<ContentGuardLog>();
        services.AddSingleton<ContentGuardMetrics>();
        return services;
    }

    /// <summary>Policy 3: the version's content guard (block or redact what it finds).</summary>
    public static IApplicationBuilder UseContentGuard(this IApplicationBuilder app) =>
        app.UseMiddleware<ContentGuardMiddleware>();
}
