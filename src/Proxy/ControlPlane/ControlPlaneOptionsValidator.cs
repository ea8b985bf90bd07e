using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.ControlPlane;

/// <summary>Checks that need the proxy's other settings: one snapshot source, and a node id the control plane accepts.</summary>
internal sealed class ControlPlaneOptionsValidator(IOptions<ProxyOptions> proxy) : IValidateOptions<ControlPlaneOptions>
{
    public ValidateOptionsResult Validate(string? name, ControlPlaneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled()) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(proxy.Value.Snapshot.File))
            failures.Add("Proxy:Snapshot:File and Proxy:ControlPlane:GrpcUrl are both set: a proxy has one snapshot source, the file (standalone) or the control plane.");
        if (!SnapshotValidator.IsId(proxy.Value.NodeId))
            failures.Add($"Proxy:NodeId '{proxy.Value.NodeId}' must be 1-128 characters of letters, digits, '-', '_', '.', ':' or '/' to be reported to the control plane.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
