using Gateway.Contracts.Snapshot;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// Resolves a provider's credential reference on this node: <c>env:NAME</c> reads an environment
/// variable, <c>file:/path</c> reads a file (trimmed). The secret never leaves memory. It is read
/// only for a provider whose host <c>Proxy:Egress:AllowedHosts</c> allows, and, when
/// <c>Proxy:Egress:Credentials</c> binds references to hosts, only where its binding allows.
/// </summary>
internal sealed partial class CredentialResolver(ILogger<CredentialResolver> logger, IOptions<Hosting.ProxyOptions>? options = null)
{
    private readonly List<string> _allowedHosts = options?.Value.Egress.AllowedHosts ?? [];
    private readonly List<Hosting.CredentialBinding> _bindings = options?.Value.Egress.Credentials ?? [];

    /// <summary>True when this proxy may send to <paramref name="provider"/>'s host, with its credential (logged when not).</summary>
    public bool EgressAllows(ProviderSpec provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var host = Uri.TryCreate(provider.BaseUrl, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.IdnHost}" : provider.BaseUrl;
        if (!HostAllowList.AllowsUrl(_allowedHosts, provider.BaseUrl))
        {
            LogEgressRefused(provider.Id, host);
            return false;
        }
        if (_bindings.Count == 0 || provider.CredentialRef is not { } reference) return true;
        var binding = _bindings.Find(b => string.Equals(b.Reference, reference, StringComparison.Ordinal));
        if (binding is null)
        {
            LogCredentialRefused(provider.Id, reference, "it is not in Proxy:Egress:Credentials");
            return false;
        }
        if (!HostAllowList.AllowsUrl(binding.Hosts, provider.BaseUrl))
        {
            LogCredentialRefused(provider.Id, reference, $"its entry in Proxy:Egress:Credentials does not allow {host}");
            return false;
        }
        return true;
    }

    public ProviderCredential Resolve(string providerId, string? reference)
    {
        if (reference is null) return ProviderCredential.None;
        string? secret = null;
        try
        {
            secret = CredentialReferences.Read(reference);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCredentialUnreadable(providerId, reference, ex.GetType().Name);
        }
        if (string.IsNullOrEmpty(secret))
        {
            LogCredentialMissing(providerId, reference);
            return new ProviderCredential(reference, null);
        }
        return new ProviderCredential(reference, secret);
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Provider {ProviderId}: credential reference {Reference} did not resolve; its deployments are skipped until it does")]
    private partial void LogCredentialMissing(string providerId, string reference);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "Provider {ProviderId}: {Host} is not allowed by Proxy:Egress:AllowedHosts (a host without 'http://' allows HTTPS only); its credential is not read and its deployments are skipped")]
    private partial void LogEgressRefused(string providerId, string host);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning,
        Message = "Provider {ProviderId}: credential reference {Reference} is not read, since {Reason}; its deployments are skipped")]
    private partial void LogCredentialRefused(string providerId, string reference, string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "Provider {ProviderId}: credential reference {Reference} could not be read ({Error})")]
    private partial void LogCredentialUnreadable(string providerId, string reference, string error);
}
