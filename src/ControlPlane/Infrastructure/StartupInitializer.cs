using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.DefaultRun;
using Gateway.ControlPlane.Features.Identity;
using Microsoft.Extensions.Options;

namespace Gateway.ControlPlane.Infrastructure;

/// <summary>
/// Runs before the server accepts requests: migrations (when configured), the default run's
/// seed, and the OAuth client registrations.
/// </summary>
internal sealed class StartupInitializer(IServiceProvider services, IOptions<ControlPlaneOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        await services.PrepareDatabaseAsync(o.Database.MigrateOnStart || o.DefaultRun.Enabled, cancellationToken);
        await using var scope = services.CreateAsyncScope();
        if (o.DefaultRun.Enabled)
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeed>().SeedAsync(o.DefaultRun.MockLlmUrl, cancellationToken);
        }
        await scope.ServiceProvider.GetRequiredService<ClientRegistration>().RegisterAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
