using System.Net;
using Gateway.Contracts.Keys;

namespace Gateway.Contracts.Tests;

/// <summary>A key's allowed networks: what is accepted, in what canonical form, and what matches.</summary>
public sealed class ClientNetworksTests
{
    [Theory]
    [InlineData("10.20.0.0/16", "10.20.0.0/16")]
    [InlineData("192.0.2.7", "192.0.2.7/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("2001:db8::/48", "2001:db8::/48")]
    [InlineData("2001:DB8:0:0::1", "2001:db8::1/128")]
    public void ValidEntries_AreReadInCanonicalForm(string text, string canonical) => Assert.Equal(canonical, ClientNetworks.Canonical(text));

    [Theory]
    [InlineData("")]
    [InlineData(" 10.0.0.0/8")]
    [InlineData("10.1.2.3/8")]          // bits past the prefix: a typo would widen the block silently
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0")]
    [InlineData("::ffff:10.0.0.1")]     // an IPv4 address written as IPv6: write it as IPv4
    [InlineData("fe80::1%eth0")]
    [InlineData("example.com")]
    public void BadEntries_AreRefused(string text) => Assert.False(ClientNetworks.TryParse(text, out _));

    [Fact]
    public void Problems_NameEachBadEntry_AndTooManyEntries()
    {
        Assert.Empty(ClientNetworks.Problems(null));
        Assert.Empty(ClientNetworks.Problems(["10.0.0.0/8", "192.0.2.1"]));
        Assert.Equal([1, 2], ClientNetworks.Problems(["10.0.0.0/8", "nope", null]).Select(p => p.Index));
        Assert.Equal(-1, Assert.Single(ClientNetworks.Problems([.. Enumerable.Range(0, 17).Select(i => $"10.{i}.0.0/16")])).Index);
    }

    [Theory]
    [InlineData("10.20.30.40", true)]
    [InlineData("::ffff:10.20.30.40", true)]   // how a dual-stack socket reports an IPv4 caller
    [InlineData("10.21.0.1", false)]
    [InlineData("2001:db8:0:ffff::1", true)]
    [InlineData("2001:db9::1", false)]
    public void Contains_MatchesIPv4AndIPv6_AndMappedAddresses(string address, bool expected)
    {
        IPNetwork[] networks = [IPNetwork.Parse("10.20.0.0/16"), IPNetwork.Parse("2001:db8::/48")];
        Assert.Equal(expected, ClientNetworks.Contains(networks, IPAddress.Parse(address)));
    }
}
