namespace Gateway.Proxy.Policies.Authentication;

internal static class AuthenticationExtensions
{
    internal static IServiceCollection AddGatewayAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<AuthenticationLog>();
        services.AddSingleton<AuthenticationMetrics>();
        services.AddSingleton<ClientAddress>();
        return services;
    }

    /// <summary>Policy 1: API key authentication.</summary>
    public static IApplicationBuilder UseGatewayAuthentication(this IApplicationBuilder app) =>
        app.UseMiddleware<AuthenticationMiddleware>();
}
