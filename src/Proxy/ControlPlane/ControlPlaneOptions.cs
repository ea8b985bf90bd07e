using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Gateway.Contracts.Snapshot;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.ControlPlane;

/// <summary>
/// The control plane that feeds this proxy (section <c>Proxy:ControlPlane</c>). With
/// <see cref="GrpcUrl"/> set, the control plane's gRPC feed is the snapshot source (neither the
/// snapshot file nor the demo catalog is used), the proxy sends heartbeats, and usage can be
/// shipped to its ledger. Unset, the proxy runs standalone.
/// </summary>
internal sealed class ControlPlaneOptions : IValidatableObject
{
    public const string Section = "Proxy:ControlPlane";

    /// <summary>The control plane's gRPC endpoint (HTTP/2), e.g. <c>http://localhost:5083</c>; empty for standalone mode.</summary>
    public string? GrpcUrl { get; set; }

    /// <summary>The control plane's main URL (<c>http://localhost:5081</c>): token endpoint <c>/connect/token</c> and <c>/snapshot/public-key</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>The OAuth token endpoint, when it is not <c>{Authority}/connect/token</c>.</summary>
    public string? TokenUrl { get; set; }

    /// <summary>The client-credentials client this proxy authenticates as.</summary>
    public string ClientId { get; set; } = Gateway.Contracts.Identity.GatewayScopes.ProxyClientId;

    /// <summary>The client's secret (from a secret store or environment; never logged).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The control plane's snapshot-signing public key (PEM, ECDSA P-256). Production should pin it
    /// here (or in <see cref="SigningPublicKeyFile"/>); when neither is set it is fetched from
    /// <c>{Authority}/snapshot/public-key</c>, which trusts the network path to the control plane.
    /// </summary>
    public string? SigningPublicKey { get; set; }

    /// <summary>A file holding <see cref="SigningPublicKey"/>.</summary>
    public string? SigningPublicKeyFile { get; set; }

    /// <summary>How long the start waits for the first snapshot before falling back to the last-known-good copy.</summary>
    public double InitialLoadSeconds { get; set; } = 10;

    /// <summary>First reconnect delay after the feed dropped; doubles up to <see cref="ReconnectMaxSeconds"/>, with jitter.</summary>
    public double ReconnectMinSeconds { get; set; } = 0.5;

    public double ReconnectMaxSeconds { get; set; } = 30;

    /// <summary>Heartbeat period (the control plane counts a proxy live for 15 s).</summary>
    public double HeartbeatSeconds { get; set; } = 5;

    /// <summary>HTTP/2 keep-alive ping period on the gRPC connection (detects a dead peer on a quiet stream).</summary>
    public double KeepAlivePingSeconds { get; set; } = 30;

    /// <summary>How long a usage batch may wait for its acknowledgement before the call is given up (the spool ships it again).</summary>
    public double ShipTimeoutSeconds { get; set; } = 60;

    /// <summary>With <c>Proxy:Usage:Shipper</c> = <c>Grpc</c>: also append every acknowledged batch to the local NDJSON ledger.</summary>
    public bool LocalLedgerCopy { get; set; }

    /// <summary>Largest snapshot accepted, uncompressed (a gzip payload is not inflated past it).</summary>
    public int MaxSnapshotBytes { get; set; } = 256 * 1024 * 1024;

    public bool Enabled() => !string.IsNullOrWhiteSpace(GrpcUrl);

    /// <summary>The token endpoint in force (a method: options validation reads every property).</summary>
    public Uri TokenEndpoint() => !string.IsNullOrWhiteSpace(TokenUrl)
        ? new Uri(TokenUrl, UriKind.Absolute)
        : new Uri(new Uri(Authority!.TrimEnd('/') + "/", UriKind.Absolute), "connect/token");

    /// <summary>Where the public key is fetched when it is not pinned.</summary>
    public Uri PublicKeyEndpoint() => new(new Uri(Authority!.TrimEnd('/') + "/", UriKind.Absolute), "snapshot/public-key");

    /// <summary>The pinned public key PEM (inline or from its file), or null when it is fetched.</summary>
    public string? PinnedPublicKeyPem() =>
        !string.IsNullOrWhiteSpace(SigningPublicKey) ? SigningPublicKey
        : !string.IsNullOrWhiteSpace(SigningPublicKeyFile) ? File.ReadAllText(SigningPublicKeyFile)
        : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled()) yield break;
        const string p = "Proxy:ControlPlane:";
        if (!HostAllowList.IsHttpUrl(GrpcUrl))
            yield return Error($"{p}GrpcUrl must be an absolute http or https URL.", nameof(GrpcUrl));
        if (!string.IsNullOrWhiteSpace(Authority) && !HostAllowList.IsHttpUrl(Authority))
            yield return Error($"{p}Authority must be an absolute http or https URL.", nameof(Authority));
        if (!string.IsNullOrWhiteSpace(TokenUrl) && !HostAllowList.IsHttpUrl(TokenUrl))
            yield return Error($"{p}TokenUrl must be an absolute http or https URL.", nameof(TokenUrl));
        if (string.IsNullOrWhiteSpace(Authority) && string.IsNullOrWhiteSpace(TokenUrl))
            yield return Error($"{p}Authority (or TokenUrl) is required with {p}GrpcUrl.", nameof(Authority));
        if (string.IsNullOrWhiteSpace(ClientId))
            yield return Error($"{p}ClientId is required with {p}GrpcUrl.", nameof(ClientId));
        if (string.IsNullOrWhiteSpace(ClientSecret))
            yield return Error($"{p}ClientSecret is required with {p}GrpcUrl.", nameof(ClientSecret));
        foreach (var result in ValidatePublicKey(p)) yield return result;
        if (InitialLoadSeconds is < 0 or > 600)
            yield return Error($"{p}InitialLoadSeconds must be between 0 and 600.", nameof(InitialLoadSeconds));
        if (ReconnectMinSeconds is < 0.01 or > 3600 || ReconnectMaxSeconds < ReconnectMinSeconds || ReconnectMaxSeconds > 3600)
            yield return Error($"{p}ReconnectMinSeconds must be between 0.01 and 3600 and ReconnectMaxSeconds between it and 3600.", nameof(ReconnectMinSeconds));
        if (HeartbeatSeconds is < 0.05 or > 60)
            yield return Error($"{p}HeartbeatSeconds must be between 0.05 and 60 (the control plane counts a proxy live for 15 s).", nameof(HeartbeatSeconds));
        if (KeepAlivePingSeconds is < 1 or > 3600)
            yield return Error($"{p}KeepAlivePingSeconds must be between 1 and 3600.", nameof(KeepAlivePingSeconds));
        if (ShipTimeoutSeconds is < 0.1 or > 3600)
            yield return Error($"{p}ShipTimeoutSeconds must be between 0.1 and 3600.", nameof(ShipTimeoutSeconds));
        if (MaxSnapshotBytes < 1024)
            yield return Error($"{p}MaxSnapshotBytes must be at least 1024.", nameof(MaxSnapshotBytes));
    }

    private IEnumerable<ValidationResult> ValidatePublicKey(string p)
    {
        string? pem;
        try
        {
            pem = PinnedPublicKeyPem();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return [Error($"{p}SigningPublicKeyFile could not be read: {e.Message}", nameof(SigningPublicKeyFile))];
        }
        if (pem is null)
        {
            return string.IsNullOrWhiteSpace(Authority)
                ? [Error($"{p}SigningPublicKey (or Authority, to fetch it) is required with {p}GrpcUrl.", nameof(SigningPublicKey))]
                : [];
        }
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(pem);
            if (key.KeySize != 256) return [Error($"{p}SigningPublicKey must be an ECDSA P-256 key.", nameof(SigningPublicKey))];
            _ = SnapshotSigning.KeyIdOf(key);
            return [];
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return [Error($"{p}SigningPublicKey is not an ECDSA public key in PEM form: {e.Message}", nameof(SigningPublicKey))];
        }
    }

    private static ValidationResult Error(string message, string member) => new(message, [member]);
}

/// <summary>
/// The data annotations of <see cref="ControlPlaneOptions"/> (and its <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>
/// rules), checked by code generated at compile time rather than by reflection, so they hold in a
/// trimmed or Native AOT build too.
/// </summary>
[OptionsValidator]
internal sealed partial class ControlPlaneOptionsDataAnnotations : IValidateOptions<ControlPlaneOptions>;
