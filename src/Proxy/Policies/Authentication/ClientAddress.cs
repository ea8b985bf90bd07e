using System.Net;
using Gateway.Contracts.Keys;
using Gateway.Proxy.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Policies.Authentication;

/// <summary>
/// The address a request comes from, for the keys limited to some networks: its connection's, or,
/// when the connection comes from a trusted proxy (<c>Proxy:ClientAddress:TrustedProxies</c>, the
/// ingress), the last address its <c>X-Forwarded-For</c> names that is not itself a trusted proxy.
/// Anything else in that header was written by the caller and is ignored. A header that cannot be
/// read gives the trusted proxy's own address, which no key should allow. Read only for a key with
/// networks, so other requests pay nothing.
/// </summary>
internal sealed class ClientAddress(IOptions<ProxyOptions> options)
{
    private readonly IPNetwork[] _trusted = [.. options.Value.ClientAddress.TrustedProxies.Select(ClientNetworks.Parse)];

    public IPAddress? Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return null;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (_trusted.Length == 0 || !ClientNetworks.Contains(_trusted, address)) return address;
        var forwarded = context.Request.Headers["X-Forwarded-For"];
        for (var value = forwarded.Count - 1; value >= 0; value--)
        {
            var hops = (forwarded[value] ?? "").Split(',');
            for (var i = hops.Length - 1; i >= 0; i--)
            {
                if (!IPAddress.TryParse(hops[i].AsSpan().Trim(), out var hop)) return address;
                address = hop.IsIPv4MappedToIPv6 ? hop.MapToIPv4() : hop;
                if (!ClientNetworks.Contains(_trusted, address)) return address;
            }
        }
        return address;
    }
}
