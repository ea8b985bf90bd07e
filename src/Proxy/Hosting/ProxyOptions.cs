using System.ComponentModel.DataAnnotations;
using Gateway.Proxy.Policies.Routing;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Hosting;

/// <summary>The proxy's static settings (section <c>Proxy</c>); dynamic state is the snapshot.</summary>
internal sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "Proxy";

    /// <summary>Where the proxy keeps local state (the last-known-good snapshot).</summary>
    [Required]
    public string DataDirectory { get; set; } = "data/proxy";

    /// <summary>Largest request body accepted; larger ones get 413 <c>request_too_large</c>.</summary>
    [Range(1024, 1L << 30)]
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Largest upstream response the proxy holds whole to translate it (non-streaming translation only).</summary>
    [Range(1024, 1L << 30)]
    public long MaxTranslatedResponseBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>This node's name in usage records and logs.</summary>
    [Required]
    public string NodeId { get; set; } = Environment.MachineName;

    /// <summary>
    /// The port <c>/metrics</c> answers on, one of those the proxy listens on (for example
    /// <c>ASPNETCORE_URLS=http://+:8080;http://+:9090</c> with 9090). Set, <c>/metrics</c> is not
    /// served on the other ports and this one serves only <c>/metrics</c>, <c>/health</c> and
    /// <c>/alive</c> (<see cref="ManagementPort"/>). Unset, <c>/metrics</c> answers on every port
    /// (the default run); the deployment manifests set it.
    /// </summary>
    [Range(1, 65535)]
    public int? ManagementPort { get; set; }

    public SnapshotFileOptions Snapshot { get; set; } = new();

    public DefaultRunOptions DefaultRun { get; set; } = new();

    public RoutingOptions Routing { get; set; } = new();

    public IdleTrimOptions IdleTrim { get; set; } = new();

    public EgressOptions Egress { get; set; } = new();

    public ClientAddressOptions ClientAddress { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultRun.Enabled && !Uri.TryCreate(DefaultRun.MockLlmUrl, UriKind.Absolute, out _))
            yield return new ValidationResult("Proxy:DefaultRun:MockLlmUrl must be an absolute URL when Proxy:DefaultRun:Enabled is true.", [$"{nameof(DefaultRun)}.{nameof(DefaultRunOptions.MockLlmUrl)}"]);
        if (Snapshot.PollSeconds is < 0.05 or > 3600)
            yield return new ValidationResult("Proxy:Snapshot:PollSeconds must be between 0.05 and 3600.", [$"{nameof(Snapshot)}.{nameof(SnapshotFileOptions.PollSeconds)}"]);
        if (IdleTrim.CheckSeconds is < 0.01 or > 3600)
            yield return new ValidationResult("Proxy:IdleTrim:CheckSeconds must be between 0.01 and 3600.", [$"{nameof(IdleTrim)}.{nameof(IdleTrimOptions.CheckSeconds)}"]);
        foreach (var result in Routing.Validate())
            yield return result;
        foreach (var (index, message) in Gateway.Contracts.Keys.ClientNetworks.Problems(ClientAddress.TrustedProxies))
            yield return new ValidationResult($"Proxy:ClientAddress:TrustedProxies{(index < 0 ? "" : ":" + index.ToString(System.Globalization.CultureInfo.InvariantCulture))} {message}.",
                [$"{nameof(ClientAddress)}.{nameof(ClientAddressOptions.TrustedProxies)}"]);
        foreach (var problem in Gateway.Contracts.Snapshot.HostAllowList.Problems(Egress.AllowedHosts, "Proxy:Egress:AllowedHosts"))
            yield return new ValidationResult(problem, [$"{nameof(Egress)}.{nameof(EgressOptions.AllowedHosts)}"]);
        for (var i = 0; i < Egress.Credentials.Count; i++)
        {
            var binding = Egress.Credentials[i];
            string[] member = [$"{nameof(Egress)}.{nameof(EgressOptions.Credentials)}"];
            if (binding.Reference is null || !Gateway.Contracts.Snapshot.SnapshotValidator.IsCredentialRef(binding.Reference))
                yield return new ValidationResult($"Proxy:Egress:Credentials:{i}:Reference must be 'env:NAME' or 'file:/absolute/path'.", member);
            if (binding.Hosts.Count == 0)
                yield return new ValidationResult($"Proxy:Egress:Credentials:{i}:Hosts must name at least one host.", member);
            foreach (var problem in Gateway.Contracts.Snapshot.HostAllowList.Problems(binding.Hosts, $"Proxy:Egress:Credentials:{i}:Hosts"))
                yield return new ValidationResult(problem, member);
        }
    }
}

/// <summary>
/// Where this proxy may send requests and provider credentials (section <c>Proxy:Egress</c>), set
/// with the deployment, outside the control plane's reach.
/// </summary>
internal sealed class EgressOptions
{
    /// <summary>
    /// The hosts a provider's base URL may name (<see cref="Gateway.Contracts.Snapshot.HostAllowList"/>:
    /// <c>api.openai.com</c>, <c>*.openai.azure.com</c>). A provider on another host is compiled
    /// without its credential and its deployments are skipped (event 1103): a platform admin who
    /// points a provider elsewhere gets neither its key nor its traffic. Empty: every host (the
    /// default run).
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>
    /// Each credential reference this proxy may read, with the hosts its secret may be sent to
    /// (<c>Proxy:Egress:Credentials:0:Reference=env:OPENAI_API_KEY</c>,
    /// <c>…:0:Hosts:0=api.openai.com</c>). Set, a provider whose reference is not listed, or whose
    /// host its entry does not allow, is compiled without reading it and its deployments are
    /// skipped (event 1104): a catalog edit cannot make the proxy read another variable or file (its
    /// own client secret, the Redis password) and send it upstream. Empty: any reference (the
    /// default run).
    /// </summary>
    public List<CredentialBinding> Credentials { get; set; } = [];
}

/// <summary>
/// Who the caller is, network-wise (section <c>Proxy:ClientAddress</c>), for the keys that may only
/// be used from some networks (<c>allowedNetworks</c>).
/// </summary>
internal sealed class ClientAddressOptions
{
    /// <summary>
    /// The networks of the proxies in front of this one (the ingress), as CIDR blocks or addresses.
    /// A request whose connection comes from one of them is from the address its
    /// <c>X-Forwarded-For</c> names last that is not itself one of them; any other request is from
    /// its connection's address, whatever it says in that header. Empty: always the connection's.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}

/// <summary>A credential reference and the hosts its secret may be sent to.</summary>
internal sealed class CredentialBinding
{
    public string? Reference { get; set; }

    public List<string> Hosts { get; set; } = [];
}

/// <summary>Standalone mode: a snapshot file (JSON, or YAML by extension) hot-reloaded on change.</summary>
internal sealed class SnapshotFileOptions
{
    /// <summary>Path of the snapshot file; empty for none.</summary>
    public string? File { get; set; }

    /// <summary>How often the file's timestamp is checked in case a change notification was missed.</summary>
    public double PollSeconds { get; set; } = 2;
}

/// <summary>The default run (AppHost): the demo snapshot with MockLlm as every provider.</summary>
internal sealed class DefaultRunOptions
{
    public bool Enabled { get; set; }

    public string? MockLlmUrl { get; set; }
}

/// <summary>
/// The data annotations of <see cref="ProxyOptions"/> (and its <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>
/// rules), checked by code generated at compile time rather than by reflection, so they hold in a
/// trimmed or Native AOT build too.
/// </summary>
[OptionsValidator]
internal sealed partial class ProxyOptionsDataAnnotations : IValidateOptions<ProxyOptions>;
