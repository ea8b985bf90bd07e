using Gateway.Proxy.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Integration.Tests.Deployment;

/// <summary>
/// The deployments lengthen the proxy's stop deadline with the host setting <c>shutdownTimeoutSeconds</c>
/// (env <c>DOTNET_SHUTDOWNTIMEOUTSECONDS</c>): the proxy's host honours it, so a stop has that long to
/// finish streams and ship the usage spool.
/// </summary>
public sealed class ProxyShutdownTests
{
    [Fact]
    public async Task TheProxyHost_TakesItsStopDeadline_FromShutdownTimeoutSeconds()
    {
        var directory = Directory.CreateTempSubdirectory("shutdown-").FullName;
        try
        {
            await using (var app = ProxyApp.Build([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Proxy:DataDirectory"] = directory,
                    ["shutdownTimeoutSeconds"] = "110",
                });
                builder.Logging.ClearProviders();
            }))
            {
                Assert.Equal(TimeSpan.FromSeconds(110), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
