using Gateway.Contracts.Demo;
using Gateway.Proxy.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Snapshots;

/// <summary>The default run's demo world (<see cref="DemoCatalog"/>) with MockLlm as every provider.</summary>
internal sealed class DemoSnapshotSource(SnapshotStore store, IOptions<ProxyOptions> options) : ISnapshotSource
{
    public string Kind => SnapshotSourceKinds.Demo;

    public Task<bool> LoadInitialAsync(CancellationToken cancellationToken)
    {
        var url = options.Value.DefaultRun.MockLlmUrl!;
        return Task.FromResult(store.TryApply(DemoCatalog.Snapshot(url), Kind, out _));
    }

    public Task WatchAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
