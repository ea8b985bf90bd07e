using System.Net;
using Gateway.Contracts.Demo;
using Gateway.Integration.Tests.Metering;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Snapshots;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Integration.Tests.Deployment;

/// <summary>What the Kubernetes probes rely on: a proxy is alive at once but ready only once a snapshot is in force.</summary>
public sealed class ProxyReadinessTests
{
    [Fact]
    public async Task AProxyWithoutASnapshot_IsAliveButNotReady_UntilOneIsApplied()
    {
        var directory = Directory.CreateTempSubdirectory("readiness-").FullName;
        await using var app = ProxyApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Proxy:DataDirectory"] = directory });
            builder.Logging.ClearProviders();
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri(MeteringWorld.Address(app)) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/alive", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        Assert.True(app.Services.GetRequiredService<SnapshotStore>().TryApply(DemoCatalog.Snapshot("http://127.0.0.1:9"), "test", out _));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        await app.StopAsync(TestContext.Current.CancellationToken);
        Directory.Delete(directory, recursive: true);
    }
}
