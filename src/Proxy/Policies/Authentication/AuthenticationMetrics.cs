using System.Diagnostics.Metrics;
using Gateway.Proxy.Telemetry;

namespace Gateway.Proxy.Policies.Authentication;

/// <summary>Refused keys by reason.</summary>
internal sealed class AuthenticationMetrics(ProxyTelemetry telemetry)
{
    private readonly Counter<long> _refused = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.auth.refused", "{request}", "Requests refused by authentication, by reason");

    public void Refused(AuthenticationResult reason) =>
        _refused.Add(1, new KeyValuePair<string, object?>("gateway.reason", reason switch
        {
            AuthenticationResult.Missing => "missing",
            AuthenticationResult.Malformed => "malformed",
            AuthenticationResult.Unknown => "unknown",
            AuthenticationResult.Mismatch => "mismatch",
            AuthenticationResult.Expired => "expired",
            AuthenticationResult.Revoked => "revoked",
            AuthenticationResult.NetworkNotAllowed => "network",
            _ => "other",
        }));
}
