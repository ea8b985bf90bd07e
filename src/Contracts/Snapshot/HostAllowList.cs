namespace Gateway.Contracts.Snapshot;

/// <summary>
/// Which upstream hosts, and over which scheme, a provider's base URL may name
/// (<c>Proxy:Egress:AllowedHosts</c> and the hosts of <c>Proxy:Egress:Credentials</c> on the
/// proxies, <c>ControlPlane:Providers:AllowedHosts</c> on the control plane). A pattern is a host
/// name or IP address (<c>api.openai.com</c>, <c>10.0.0.7</c>), or <c>*.</c> and a domain for its
/// subdomains (<c>*.openai.azure.com</c> allows <c>bank.openai.azure.com</c>, not
/// <c>openai.azure.com</c> itself, nor <c>evil-openai.azure.com</c>). Such a pattern allows HTTPS
/// only: a provider on an allowed host cannot be downgraded to plain HTTP, where its credential
/// and the prompts would cross the network in clear. <c>http://</c> before a pattern
/// (<c>http://mockllm</c>, an in-cluster service) allows plain HTTP to it as well. Compared without
/// case and without port. An empty list allows every host and scheme.
/// </summary>
public static class HostAllowList
{
    private const string PlainHttp = "http://";

    /// <summary>True when <paramref name="url"/> is an absolute <c>http</c> or <c>https</c> URL.</summary>
    public static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>True when there are no patterns, or <paramref name="baseUrl"/> is an absolute URL whose host and scheme they allow.</summary>
    public static bool AllowsUrl(IReadOnlyCollection<string> patterns, string? baseUrl)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        if (patterns.Count == 0) return true;
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri)) return false;
        var https = uri.Scheme == Uri.UriSchemeHttps;
        if (!https && uri.Scheme != Uri.UriSchemeHttp) return false;
        var host = uri.IdnHost.TrimEnd('.');
        foreach (var pattern in patterns)
        {
            var plain = pattern.StartsWith(PlainHttp, StringComparison.OrdinalIgnoreCase);
            if ((https || plain) && Matches(plain ? pattern[PlainHttp.Length..] : pattern, host)) return true;
        }
        return false;
    }

    private static bool Matches(string pattern, string host) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.Length > pattern.Length - 1 && host.EndsWith(pattern.AsSpan(1), StringComparison.OrdinalIgnoreCase)
            : string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// What is wrong with each pattern of the list set at <paramref name="setting"/>, one message
    /// per bad pattern, naming its index (<c>Proxy:Egress:AllowedHosts:2 'x' is not a host name…</c>).
    /// </summary>
    public static IEnumerable<string> Problems(IReadOnlyList<string> patterns, string setting)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        for (var i = 0; i < patterns.Count; i++)
        {
            if (Problem(patterns[i]) is { } problem) yield return $"{setting}:{i} {problem}.";
        }
    }

    /// <summary>Why <paramref name="pattern"/> is not a pattern (another scheme, a port, a path, a wildcard elsewhere), or null.</summary>
    public static string? Problem(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return "is empty";
        var host = pattern.StartsWith(PlainHttp, StringComparison.OrdinalIgnoreCase) ? pattern[PlainHttp.Length..] : pattern;
        if (host.StartsWith("*.", StringComparison.Ordinal)) host = host[2..];
        if (host.Contains('*', StringComparison.Ordinal)) return $"'{pattern}' may hold a wildcard only as its first label ('*.example.com')";
        if (Uri.CheckHostName(host) == UriHostNameType.Unknown) return $"'{pattern}' is not a host name, or 'http://' and a host name (no other scheme, no port or path)";
        return null;
    }
}
