using System.Net;
using System.Net.Sockets;

namespace Gateway.Contracts.Keys;

/// <summary>
/// The networks an API key may be used from (its <c>allowedNetworks</c>): CIDR blocks such as
/// <c>10.20.0.0/16</c> or <c>2001:db8::/48</c>, or single addresses (<c>10.20.30.40</c>, read as a
/// /32 or /128). The control plane keeps and publishes them in their canonical form; the proxy
/// refuses a request with the key from any other address (403 <c>ip_not_allowed</c>).
/// </summary>
public static class ClientNetworks
{
    /// <summary>The most networks one key may list.</summary>
    public const int MaxCount = 16;

    /// <summary>Reads one entry: a CIDR block (its address must be the network's first) or a single address.</summary>
    public static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64 || text.Trim().Length != text.Length) return false;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!TryParseAddress(slash < 0 ? text : text[..slash], out var address)) return false;
        if (slash < 0)
        {
            network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        // The runtime masks the address to the prefix (10.1.2.3/8 → 10.0.0.0/8): a typo would
        // widen the block silently, so the address must be the network's first already.
        return IPNetwork.TryParse(text, out network) && address.Equals(network.BaseAddress);
    }

    /// <summary>
    /// An IPv4 address in its four dotted decimals (not the legacy <c>10.1</c> forms the runtime
    /// also reads), or an IPv6 address without a zone and not an IPv4 one written as IPv6.
    /// </summary>
    private static bool TryParseAddress(string text, out IPAddress address)
    {
        if (!IPAddress.TryParse(text, out address!)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return text.Count(c => c == '.') == 3 && text.All(c => c == '.' || char.IsAsciiDigit(c));
        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId == 0 && !address.IsIPv4MappedToIPv6;
    }

    /// <summary>What is wrong with a list, as (index, message) pairs; none for a valid (or absent) list.</summary>
    public static IEnumerable<(int Index, string Message)> Problems(IReadOnlyList<string?>? networks)
    {
        if (networks is null) yield break;
        if (networks.Count > MaxCount) yield return (-1, $"must list at most {MaxCount} networks");
        for (var i = 0; i < networks.Count && i < MaxCount; i++)
        {
            if (!TryParse(networks[i], out _))
                yield return (i, "must be a CIDR block whose address is the network's first (10.20.0.0/16, 2001:db8::/48) or a single IP address");
        }
    }

    /// <summary>A valid entry as a network (<see cref="TryParse"/>); a <see cref="FormatException"/> for anything else.</summary>
    public static IPNetwork Parse(string text) =>
        TryParse(text, out var network) ? network : throw new FormatException($"'{text}' is not a network.");

    /// <summary>The canonical text of a valid entry (<c>10.20.30.40</c> → <c>10.20.30.40/32</c>).</summary>
    public static string Canonical(string text) => Parse(text).ToString();

    /// <summary>Whether <paramref name="address"/> (an IPv4 address mapped into IPv6 counts as IPv4) is in one of <paramref name="networks"/>.</summary>
    public static bool Contains(IPNetwork[] networks, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in networks)
        {
            if (network.Contains(address)) return true;
        }
        return false;
    }
}
