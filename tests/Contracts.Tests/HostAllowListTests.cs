using Gateway.Contracts.Snapshot;

namespace Gateway.Contracts.Tests;

public sealed class HostAllowListTests
{
    private static readonly string[] Patterns = ["api.openai.com", "*.openai.azure.com", "http://10.0.0.7", "http://vllm.internal.bank"];

    [Theory]
    [InlineData("https://api.openai.com", true)]
    [InlineData("https://API.OpenAI.com:8443/v1", true)]
    [InlineData("https://api.openai.com./", true)]
    [InlineData("https://bank-eu.openai.azure.com", true)]
    [InlineData("https://a.b.openai.azure.com", true)]
    [InlineData("https://openai.azure.com", false)]
    [InlineData("https://evil-openai.azure.com", false)]
    [InlineData("https://api.openai.com.evil.example", false)]
    [InlineData("https://api.openai.com@evil.example", false)]
    [InlineData("http://10.0.0.7:8000", true)]
    [InlineData("http://10.0.0.70", false)]
    [InlineData("http://vllm.internal.bank", true)]
    [InlineData("http://169.254.169.254/latest/meta-data", false)]
    [InlineData("not a url", false)]
    // A host without 'http://' allows HTTPS only: an allowed provider cannot be downgraded to plain HTTP.
    [InlineData("http://api.openai.com", false)]
    [InlineData("http://bank-eu.openai.azure.com", false)]
    [InlineData("https://10.0.0.7", true)]
    [InlineData("ftp://api.openai.com", false)]
    [InlineData("ws://api.openai.com", false)]
    public void AllowsUrl_MatchesTheHostAndTheScheme(string url, bool allowed) => Assert.Equal(allowed, HostAllowList.AllowsUrl(Patterns, url));

    [Fact]
    public void AnEmptyList_AllowsEveryHost()
    {
        Assert.True(HostAllowList.AllowsUrl([], "https://anything.example"));
        Assert.True(HostAllowList.AllowsUrl([], "not even a url")); // the snapshot's validator judges URLs, not this list
    }

    [Theory]
    [InlineData("api.openai.com", null)]
    [InlineData("*.openai.azure.com", null)]
    [InlineData("10.0.0.7", null)]
    [InlineData("http://mockllm", null)]
    [InlineData("http://*.svc.cluster.local", null)]
    [InlineData("https://api.openai.com", "not a host name")]
    [InlineData("http://mockllm:8080", "not a host name")]
    [InlineData("api.openai.com:443", "not a host name")]
    [InlineData("api.openai.com/v1", "not a host name")]
    [InlineData("api.*.com", "wildcard")]
    [InlineData("*", "wildcard")]
    [InlineData(" ", "empty")]
    public void Problem_NamesWhatIsNotAPattern(string pattern, string? problem)
    {
        var found = HostAllowList.Problem(pattern);
        if (problem is null) Assert.Null(found);
        else Assert.Contains(problem, found, StringComparison.Ordinal);
    }
}
