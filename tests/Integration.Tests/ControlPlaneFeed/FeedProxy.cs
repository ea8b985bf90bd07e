using System.Net.Http.Headers;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Snapshots.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Integration.Tests.ControlPlaneFeed;

/// <summary>A proxy in-process on 127.0.0.1 port 0, configured with the control-plane source.</summary>
internal sealed class FeedProxy : IAsyncDisposable
{
    private readonly bool _ownsData;

    private FeedProxy(WebApplication app, string dataDirectory, bool ownsData)
    {
        App = app;
        DataDirectory = dataDirectory;
        _ownsData = ownsData;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public SnapshotStore Store => App.Services.GetRequiredService<SnapshotStore>();

    public ControlPlaneSnapshotSource Source => App.Services.GetRequiredService<ControlPlaneSnapshotSource>();

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<FeedProxy> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? services, string? dataDirectory)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("feed-proxy-").FullName;
        var config = new Dictionary<string, string?>(settings) { ["Proxy:DataDirectory"] = dataDirectory };
        var app = ProxyApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            services?.Invoke(builder.Services);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new FeedProxy(app, dataDirectory, owns);
    }

    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        if (!_ownsData) return;
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
