using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Gateway.Proxy.Hosting;

namespace Gateway.Proxy.Policies.Routing;

/// <summary>The breakers of all deployments by id, kept across snapshot swaps.</summary>
internal sealed class DeploymentHealthRegistry(IOptions<ProxyOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DeploymentHealth> _byId = new(StringComparer.Ordinal);
    private readonly BreakerSettings _settings = new(
        options.Value.Routing.BreakerFailureThreshold,
        TimeSpan.FromSeconds(options.Value.Routing.BreakerOpenSeconds),
        time);

    public DeploymentHealth Get(string deploymentId) =>
        _byId.GetOrAdd(deploymentId, static (id, settings) => new DeploymentHealth(id, settings), _settings);
}
