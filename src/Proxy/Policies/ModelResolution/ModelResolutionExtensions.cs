namespace Gateway.Proxy.Policies.ModelResolution;

internal static class ModelResolutionExtensions
{
    internal static IServiceCollection AddModelResolution(this IServiceCollection services) =>
        services.AddSingleton<ModelResolutionLog>();

    /// <summary>Policy 2: body checks and alias → version resolution.</summary>
    public static IApplicationBuilder UseModelResolution(this IApplicationBuilder app) =>
        app.UseMiddleware<ModelResolutionMiddleware>();
}
