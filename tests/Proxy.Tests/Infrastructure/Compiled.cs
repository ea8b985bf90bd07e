using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.Routing;
using Gateway.Proxy.Snapshots;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Tests.Infrastructure;

/// <summary>Compiles snapshots for unit tests without a host.</summary>
internal static class Compiled
{
    public static SnapshotCompiler Compiler(TimeProvider? time = null, RoutingOptions? routing = null) => new(
        new CredentialResolver(NullLogger<CredentialResolver>.Instance),
        new DeploymentHealthRegistry(Options.Create(new ProxyOptions { Routing = routing ?? new RoutingOptions() }), time ?? TimeProvider.System));

    public static CompiledSnapshot Of(GatewaySnapshot snapshot, TimeProvider? time = null, RoutingOptions? routing = null) =>
        Compiler(time, routing).Compile(snapshot, "test");

    public static SnapshotStore Store(TimeProvider? time = null) =>
        new(Compiler(time), NullLogger<SnapshotStore>.Instance, time ?? TimeProvider.System);

    /// <summary>A request resolved to <paramref name="versionName"/>, ready for routing.</summary>
    public static GatewayRequest RequestFor(CompiledSnapshot snapshot, string versionName)
    {
        var request = new GatewayRequest("req-test", 0, TestWorld.Now) { Snapshot = snapshot };
        request.Version = snapshot.Versions[versionName];
        request.Model = request.Version.Model;
        return request;
    }
}
