using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Gateway.E2E.Tests.Infrastructure;

/// <summary>
/// The whole gateway as the default run starts it (the AppHost: MockLlm, ControlPlane, Proxy,
/// Portal; SQLite; demo users), through Aspire's testing builder, once for all journeys: on free
/// ports and with a fresh data folder, so every run starts from a clean database and seed. Plus
/// one headless Chromium. Stops exactly what it started. A subclass passes AppHost settings of its
/// own (e.g. <see cref="ChangeControlSystem"/>); this one runs the AppHost's defaults.
/// </summary>
public class GatewaySystem : IAsyncLifetime
{
    public const string DemoPassword = "Demo-Pass-1!";

    private static readonly string[] Services = ["mockllm", "controlplane", "proxy", "portal"];

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("gateway-e2e-");
    private readonly string[] _settings;
    private DistributedApplication? _app;
    private IPlaywright? _playwright;

    public GatewaySystem()
        : this([])
    {
    }

    /// <param name="settings">AppHost arguments beyond the ports, e.g. <c>--ChangeControl:RequireSecondAdmin=true</c>.</param>
    protected GatewaySystem(string[] settings) => _settings = settings;

    /// <summary>Why the journeys cannot run (null when they can).</summary>
    public string? Unavailable { get; private set; }

    public Uri PortalUrl { get; private set; } = null!;

    public Uri ProxyUrl { get; private set; } = null!;

    public Uri ControlPlaneUrl { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Unavailable = Requirements.Missing;
        if (Unavailable is not null) return;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        var ct = timeout.Token;
        Environment.SetEnvironmentVariable("GATEWAY_DATA_DIR", _dataDirectory.FullName);
        var ports = FreePorts.Take(5);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
        [
            $"--Ports:Proxy={ports[0]}", $"--Ports:ControlPlane={ports[1]}", $"--Ports:Portal={ports[2]}", $"--Ports:MockLlm={ports[3]}",
            $"--Ports:ControlPlaneGrpc={ports[4]}", .. _settings,
        ], ct);
        // Aspire logs every failed health probe while the services start: keep the test output readable.
        builder.Services.AddLogging(logging => logging
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("Aspire.Hosting", LogLevel.Warning)
            .AddFilter("Polly", LogLevel.Warning)
            .AddFilter("AppHost.Resources", LogLevel.Warning));
        _app = await builder.BuildAsync(ct);
        await _app.StartAsync(ct);
        foreach (var service in Services)
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(service, ct);
        }
        PortalUrl = _app.GetEndpoint("portal", "http");
        ProxyUrl = _app.GetEndpoint("proxy", "http");
        ControlPlaneUrl = _app.GetEndpoint("controlplane", "http");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Requirements.ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Environment.SetEnvironmentVariable("GATEWAY_DATA_DIR", null);
        try
        {
            _dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A service may hold a file for a moment after it stopped; the OS cleans its temp folder.
        }
    }
}
