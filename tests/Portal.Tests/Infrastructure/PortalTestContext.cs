using Gateway.Contracts.Identity;
using Gateway.Portal.Api;
using Gateway.Portal.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace Gateway.Portal.Tests.Infrastructure;

/// <summary>
/// The one base of the component tests: MudBlazor services with loose JS interop, the Portal's
/// real typed clients over a <see cref="FakeControlPlane"/>, the real authorization policies
/// with a <see cref="TestUser"/>, and a fixed clock.
/// </summary>
public abstract class PortalTestContext : BunitContext
{
    public const string ControlPlaneUrl = "http://controlplane.test";
    public const string ProxyUrl = "http://proxy.test:5080";

    protected PortalTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        Services.AddMudServices(o => o.SnackbarConfiguration.ShowTransitionDuration = 0);
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton(Options.Create(new PortalOptions { ControlPlaneUrl = ControlPlaneUrl, ProxyUrl = ProxyUrl }));
        Services.AddSingleton<IAccessTokenSource, FixedTokenSource>();
        Services.AddControlPlaneApi(resilient: false);
        Services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => ControlPlane));
        // The real authorization service and the Portal's own policies (bUnit's placeholders replaced).
        Services.AddSingleton(User);
        Services.Replace(ServiceDescriptor.Singleton<AuthenticationStateProvider>(User));
        Services.AddCascadingAuthenticationState();
        Services.AddAuthorizationCore();
        Services.Replace(ServiceDescriptor.Transient<IAuthorizationService, DefaultAuthorizationService>());
        Services.Replace(ServiceDescriptor.Transient<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>());
        new AuthorizationBuilder(Services).AddPortalPolicies();
    }

    /// <summary>Now, for the tests: 2026-11-26 10:00 UTC.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));

    public FakeControlPlane ControlPlane { get; } = new();

    public TestUser User { get; } = new();

    protected void SignInAs(params string[] roles) => User.SignIn("tester", TestUser.DefaultId, roles);

    protected void SignInAsDeveloper() => SignInAs(GatewayRoles.Developer);

    /// <summary>The rendered providers and page: dialogs and snackbars show up in its markup too.</summary>
    protected IRenderedComponent<Bunit.Rendering.ContainerFragment> Host { get; private set; } = default!;

    /// <summary>Renders a page with the MudBlazor providers it needs (popovers, dialogs, snackbars) around it.</summary>
    protected IRenderedComponent<TComponent> RenderPage<TComponent>()
        where TComponent : IComponent
    {
        Host = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.OpenComponent<TComponent>(3);
            builder.CloseComponent();
        });
        return Host.FindComponent<TComponent>();
    }
}
