using System.Net.Http.Headers;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Snapshots;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Proxy.Tests.Infrastructure;

/// <summary>The proxy in-process on 127.0.0.1 port 0, with a temporary data directory.</summary>
internal sealed class ProxyHost : IAsyncDisposable
{
    private ProxyHost(WebApplication app, string dataDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Client = CreateClient(TestWorld.Key);
    }

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public Uri Address { get; }

    /// <summary>A client sending <see cref="TestWorld.Key"/>.</summary>
    public HttpClient Client { get; }

    public SnapshotStore Store => App.Services.GetRequiredService<SnapshotStore>();

    public static async Task<ProxyHost> StartAsync(
        GatewaySnapshot? snapshot,
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        Action<IApplicationBuilder>? appendPolicies = null,
        string? dataDirectory = null)
    {
        dataDirectory ??= Directory.CreateTempSubdirectory("proxy-tests-").FullName;
        var config = new Dictionary<string, string?> { ["Proxy:DataDirectory"] = dataDirectory };
        if (settings is not null)
        {
            foreach (var (k, v) in settings) config[k] = v;
        }
        var app = ProxyApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.ClearProviders();
            configure?.Invoke(builder);
        }, appendPolicies);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var host = new ProxyHost(app, dataDirectory);
        if (snapshot is not null && !host.Store.TryApply(snapshot, "test", out var errors))
            throw new InvalidOperationException("Test snapshot invalid: " + string.Join("; ", errors));
        return host;
    }

    public HttpClient CreateClient(string? key)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
