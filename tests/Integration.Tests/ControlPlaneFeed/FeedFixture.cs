using Gateway.Testing;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Contracts.Demo;
using Gateway.ControlPlane;
using Gateway.ControlPlane.Features.DefaultRun;
using Gateway.ControlPlane.Tests.Infrastructure;
using Gateway.MockLlm;
using Gateway.Proxy.ControlPlane;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Integration.Tests.ControlPlaneFeed;

/// <summary>
/// The default run's shape, in-process on 127.0.0.1 port 0: MockLlm, the real control plane on
/// SQLite (seeded demo world, OpenIddict, HTTP/2 gRPC listener) and a proxy fed by it over gRPC.
/// Tests start further proxies against the same control plane when they need their own.
/// </summary>
public sealed class FeedFixture : IAsyncLifetime
{
    public const string ProxySecret = "feed-test-proxy-secret-0123456789";
    public const string AutomationSecret = "feed-test-automation-secret-0123456789";
    public const string MainNodeId = "feed-proxy-main";

    private readonly ConcurrentDictionary<string, Task<string>> _tokens = new();
    private readonly string _controlPlaneData = Directory.CreateTempSubdirectory("feed-cp-").FullName;
    private WebApplication _mock = null!;
    private WebApplication _controlPlane = null!;

    public Uri MockLlm { get; private set; } = null!;

    public Uri ControlPlane { get; private set; } = null!;

    public Uri ControlPlaneGrpc { get; private set; } = null!;

    /// <summary>The control plane's services (its snapshot hub, database).</summary>
    internal IServiceProvider ControlPlaneServices => _controlPlane.Services;

    /// <summary>The proxy every test shares (node <see cref="MainNodeId"/>).</summary>
    internal FeedProxy Main { get; private set; } = null!;

    /// <summary>The usage backlog the main proxy reports in its heartbeats.</summary>
    internal TestBacklog Backlog { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable(DemoCatalog.MockCredentialEnv, "mock-upstream-key");
        _mock = MockLlmApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production"], b => b.Logging.SetMinimumLevel(LogLevel.Warning));
        await _mock.StartAsync(TestContext.Current.CancellationToken);
        MockLlm = new Uri(Address(_mock));

        _controlPlane = ControlPlaneApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ControlPlane:DataDirectory"] = _controlPlaneData,
                ["ControlPlane:Database:Provider"] = "Sqlite",
                ["ControlPlane:Database:MigrateOnStart"] = "true",
                ["ControlPlane:DefaultRun:Enabled"] = "true",
                ["ControlPlane:DefaultRun:MockLlmUrl"] = MockLlm.ToString().TrimEnd('/'),
                ["ControlPlane:DefaultRun:ProxyClientSecret"] = ProxySecret,
                ["ControlPlane:DefaultRun:AutomationClientSecret"] = AutomationSecret,
                ["ControlPlane:GrpcUrl"] = "http://127.0.0.1:0",
                ["ControlPlane:Identity:RequireHttps"] = "false",
                ["ControlPlane:Snapshot:PollMilliseconds"] = "50",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "None",
            });
        });
        await _controlPlane.StartAsync(TestContext.Current.CancellationToken);
        ControlPlane = ControlPlaneAddresses.Http(_controlPlane);
        ControlPlaneGrpc = ControlPlaneAddresses.Grpc(_controlPlane);

        Main = await StartProxyAsync(MainNodeId, new Dictionary<string, string?> { ["Proxy:ControlPlane:LocalLedgerCopy"] = "true" },
            services: s => s.AddSingleton<IUsageBacklog>(Backlog));
    }

    /// <summary>
    /// A proxy fed by this control plane (settings in <paramref name="overrides"/> win), with a
    /// fresh data directory unless one is given.
    /// </summary>
    internal Task<FeedProxy> StartProxyAsync(
        string nodeId, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null, string? dataDirectory = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Proxy:NodeId"] = nodeId,
            ["Proxy:ControlPlane:GrpcUrl"] = ControlPlaneGrpc.ToString(),
            ["Proxy:ControlPlane:Authority"] = ControlPlane.ToString(),
            ["Proxy:ControlPlane:ClientSecret"] = ProxySecret,
            ["Proxy:ControlPlane:HeartbeatSeconds"] = "0.5",
            ["Proxy:ControlPlane:ReconnectMinSeconds"] = "0.05",
            ["Proxy:ControlPlane:ReconnectMaxSeconds"] = "0.5",
            ["Proxy:Usage:Shipper"] = "Grpc",
            ["Proxy:Usage:SegmentMaxAgeMs"] = "100",
            ["Proxy:Usage:ShipIntervalMs"] = "50",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) settings[key] = value;
        return FeedProxy.StartAsync(settings, services, dataDirectory);
    }

    /// <summary>A user's access token from the real authorization code + PKCE flow (cached).</summary>
    public Task<string> UserTokenAsync(string email) =>
        _tokens.GetOrAdd(email, e => OidcLogin.UserTokenAsync(ControlPlane, e, DemoSeed.DemoPassword, CancellationToken.None));

    /// <summary>A PlatformAdmin token: client credentials of the automation client.</summary>
    public Task<string> AdminTokenAsync() =>
        _tokens.GetOrAdd("automation", _ => OidcLogin.ClientTokenAsync(ControlPlane, "gateway-automation", AutomationSecret, "gateway.api", CancellationToken.None));

    public HttpClient ControlPlaneClient(string token)
    {
        var client = new HttpClient { BaseAddress = ControlPlane };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The control plane's usage ledger for <paramref name="keyId"/> (one page of up to 200, which must hold them all), read as a PlatformAdmin.</summary>
    internal async Task<List<JsonElement>> LedgerAsync(string keyId, string query = "")
    {
        using var admin = ControlPlaneClient(await AdminTokenAsync());
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/usage/records?keyId={keyId}&pageSize=200{query}", TestContext.Current.CancellationToken);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        // A full page could leave records out. (Not items == total: the ledger ingests while it is read,
        // so the count and the page, two queries, can see different moments: that failed a CI run.)
        Assert.True(items.Count < 200, $"the ledger page of key {keyId} is full: records beyond it would be missed");
        return items;
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public async ValueTask DisposeAsync()
    {
        await Main.DisposeAsync();
        await _controlPlane.StopAsync(CancellationToken.None);
        await _controlPlane.DisposeAsync();
        await _mock.DisposeAsync();
        try
        {
            Directory.Delete(_controlPlaneData, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file still mapped: the OS temp cleaner takes it.
        }
    }
}

/// <summary>A usage backlog the test sets, standing where the spool reports its pending records.</summary>
internal sealed class TestBacklog : IUsageBacklog
{
    private long _pending;

    public long PendingRecords
    {
        get => Interlocked.Read(ref _pending);
        set => Interlocked.Exchange(ref _pending, value);
    }
}

[CollectionDefinition(Name)]
public sealed class FeedCollection : ICollectionFixture<FeedFixture>
{
    public const string Name = "control-plane feed";
}
