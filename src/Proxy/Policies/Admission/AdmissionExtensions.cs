using Gateway.Proxy.Counters;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Proxy.Policies.Admission;

internal static class AdmissionExtensions
{
    internal static IServiceCollection AddAdmission(this IServiceCollection services)
    {
        services.TryAddSingleton<IAdmissionCounters, InProcessCounters>();
        services.AddSingleton<AdmissionMetrics>();
        services.AddSingleton<AdmissionLog>();
        services.AddHostedService<TokenizerWarmup>();
        services.AddSingleton<BudgetBaselines>();
        services.AddHostedService(sp => sp.GetRequiredService<BudgetBaselines>());
        services.AddSingleton<Usage.IUsageAcknowledgementObserver>(sp => sp.GetRequiredService<BudgetBaselines>());
        return services;
    }

    /// <summary>Policy 3: limits and budgets, reserved before the upstream call.</summary>
    public static IApplicationBuilder UseAdmission(this IApplicationBuilder app) =>
        app.UseMiddleware<AdmissionMiddleware>();
}
