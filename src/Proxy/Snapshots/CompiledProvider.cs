using Gateway.Contracts.Snapshot;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Snapshots;

/// <summary>An upstream provider with its credential resolved (in memory only) and its timeouts.</summary>
internal sealed class CompiledProvider
{
    public CompiledProvider(ProviderSpec spec, ProviderCredential credential)
    {
        Spec = spec;
        Credential = credential;
        BaseUrl = spec.BaseUrl.TrimEnd('/');
        ConnectTimeout = TimeSpan.FromSeconds(spec.ConnectTimeoutSeconds);
        FirstByteTimeout = TimeSpan.FromSeconds(spec.FirstByteTimeoutSeconds);
        StreamIdleTimeout = TimeSpan.FromSeconds(spec.StreamIdleTimeoutSeconds);
        ForwarderConfig = new ForwarderRequestConfig
        {
            // YARP's activity timeout covers sending the request and waiting for the response headers.
            ActivityTimeout = FirstByteTimeout,
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
    }

    public ProviderSpec Spec { get; }

    public string Id => Spec.Id;

    public ProviderKind Kind => Spec.Kind;

    /// <summary>The base URL without a trailing slash.</summary>
    public string BaseUrl { get; }

    public ProviderCredential Credential { get; }

    /// <summary>False when <c>Proxy:Egress:AllowedHosts</c> does not allow the host: no credential, no traffic.</summary>
    public bool EgressAllowed { get; init; } = true;

    /// <summary>Cut off by a platform admin (<see cref="ProviderSpec.Suspended"/>): no credential, no traffic.</summary>
    public bool Suspended { get; init; }

    /// <summary>Whether requests may go to this provider at all.</summary>
    public bool Serves => EgressAllowed && !Suspended;

    public TimeSpan ConnectTimeout { get; }

    public TimeSpan FirstByteTimeout { get; }

    public TimeSpan StreamIdleTimeout { get; }

    public ForwarderRequestConfig ForwarderConfig { get; }

    public override string ToString() => $"{Id} ({Kind}, {BaseUrl})";
}

/// <summary>
/// A provider's secret, read from its reference when the snapshot is compiled. It lives in memory
/// only: never logged (<see cref="ToString"/> hides it), never written to disk.
/// </summary>
internal sealed class ProviderCredential
{
    public static readonly ProviderCredential None = new(null, null);

    public ProviderCredential(string? reference, string? secret)
    {
        Reference = reference;
        Secret = secret;
        BearerHeader = secret is null ? null : "Bearer " + secret;
    }

    /// <summary>The reference (<c>env:NAME</c> or <c>file:/path</c>), safe to log.</summary>
    public string? Reference { get; }

    /// <summary>The secret, or null when the provider needs none or the reference could not be resolved.</summary>
    public string? Secret { get; }

    /// <summary><c>Bearer {secret}</c>, precomputed.</summary>
    public string? BearerHeader { get; }

    /// <summary>True when a reference is configured but did not resolve: requests to the provider fail over.</summary>
    public bool Missing => Reference is not null && Secret is null;

    public override string ToString() => Reference ?? "(none)";
}
