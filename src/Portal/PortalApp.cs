using Gateway.Portal.Api;
using Gateway.Portal.Auth;
using Gateway.Portal.Components;
using Gateway.Portal.Exports;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor;
using MudBlazor.Services;

namespace Gateway.Portal;

internal static class PortalApp
{
    /// <summary>Options, sign-in, the API's typed clients, Blazor Server with MudBlazor.</summary>
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddPortalAuthentication();
        builder.Services.AddControlPlaneApi(resilient: true);
        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents(o => o.DetailedErrors = false);
        builder.Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
            o.SnackbarConfiguration.VisibleStateDuration = 8000;
            o.SnackbarConfiguration.PreventDuplicates = true;
        });
        return builder;
    }

    /// <summary>
    /// What the portal's pages may load: its own scripts only (no inline script, no eval), its own
    /// styles plus inline ones (MudBlazor themes and positions with style attributes), its own
    /// images and fonts, and connections to itself (the circuit's WebSocket); never framed.
    /// </summary>
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    /// <summary>The error page for every failure (never the developer page), sign-in, exports, the app.</summary>
    public static WebApplication MapPortal(this WebApplication app)
    {
        app.UseSecurityHeaders(ContentSecurityPolicy);
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapExportEndpoints();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .RequireAuthorization();
        app.MapDefaultEndpoints();
        return app;
    }
}
