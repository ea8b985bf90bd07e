using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Gateway.Portal.Api;

internal static class ApiExtensions
{
    /// <summary>
    /// The typed clients of the control plane's API, based at <see cref="PortalOptions.ControlPlaneUrl"/>.
    /// With <paramref name="resilient"/>, reads are retried on transient failures; writes never are
    /// (a retried "create key" could create two).
    /// </summary>
    public static IServiceCollection AddControlPlaneApi(this IServiceCollection services, bool resilient = true)
    {
        Add<MeApi>(services, resilient);
        Add<CatalogApi>(services, resilient);
        Add<ProvidersApi>(services, resilient);
        Add<TeamsApi>(services, resilient);
        Add<AccessRequestsApi>(services, resilient);
        Add<SubscriptionsApi>(services, resilient);
        Add<KeysApi>(services, resilient);
        Add<UsageApi>(services, resilient);
        Add<StatementsApi>(services, resilient);
        Add<AuditApi>(services, resilient);
        Add<ChangesApi>(services, resilient);
        Add<ProxiesApi>(services, resilient);
        Add<WebhooksApi>(services, resilient);
        return services;
    }

    private static void Add<TClient>(IServiceCollection services, bool resilient)
        where TClient : class
    {
        var builder = services.AddHttpClient<TClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<PortalOptions>>().Value;
            http.BaseAddress = new Uri(options.ControlPlaneUrl.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(100);
        });
        if (resilient)
        {
            builder.AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods());
        }
    }
}
