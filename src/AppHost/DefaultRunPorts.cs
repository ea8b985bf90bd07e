using Microsoft.Extensions.Configuration;

namespace Gateway.AppHost;

/// <summary>The default run's fixed ports, overridable with <c>Ports:Proxy</c> and friends.</summary>
internal sealed record DefaultRunPorts(int Proxy, int ControlPlane, int ControlPlaneGrpc, int Portal, int MockLlm)
{
    public static DefaultRunPorts From(IConfiguration configuration) => new(
        configuration.GetValue("Ports:Proxy", 5080),
        configuration.GetValue("Ports:ControlPlane", 5081),
        configuration.GetValue("Ports:ControlPlaneGrpc", 5083),
        configuration.GetValue("Ports:Portal", 5082),
        configuration.GetValue("Ports:MockLlm", 5089));
}

/// <summary>Where the default run keeps its state: <c>data/</c> at the repository root (git-ignored).</summary>
internal static class DefaultRunPaths
{
    public static string DataDirectory(string appHostDirectory)
    {
        var configured = Environment.GetEnvironmentVariable("GATEWAY_DATA_DIR");
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        var root = Path.GetFullPath(Path.Combine(appHostDirectory, "..", ".."));
        return Path.Combine(root, "data");
    }
}
