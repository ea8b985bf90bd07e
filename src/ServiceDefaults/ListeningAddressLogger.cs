using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>Logs the addresses a service listens on once the server has started.</summary>
internal sealed partial class ListeningAddressLogger(
    IServer server, IHostApplicationLifetime lifetime, IHostEnvironment environment, ILogger<ListeningAddressLogger> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
            if (addresses is { Count: > 0 })
            {
                LogListening(logger, environment.ApplicationName, string.Join(", ", addresses));
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Service} listening on {Addresses}")]
    private static partial void LogListening(ILogger logger, string service, string addresses);
}
