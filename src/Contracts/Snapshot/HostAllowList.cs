namespace Gateway.Contracts.Snapshot;

/// <summary>
/// Which upstream hosts a provider's base URL may name (<c>Proxy:Egress:AllowedHosts</c> on the
/// proxies, <c>ControlPlane:Providers:AllowedHosts</c> on the control plane). A pattern is a host
/// name or IP address (<c>api.openai.com</c>, <c>10.0.0.7</c>), or <c>*.</c> and a domain for its
/// subdomains (<c>*.openai.azure.com</c> allows <c>bank.openai.azure.com</c>, not
/// <c>openai.azure.com</c> itself, nor <c>evil-openai.azure.com</c>). Compared without case and
/// without port. An empty list allows every host.
/// </summary>
public static class HostAllowList
{
    /// <summary>True when <paramref name="host"/> matches a pattern, or there are none.</summary>
    public static bool Allows(IReadOnlyCollection<string> patterns, string host)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(host);
        if (patterns.Count == 0) return true;
        host = host.TrimEnd('.');
        foreach (var pattern in patterns)
        {
            if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                if (host.Length > pattern.Length - 1 && host.EndsWith(pattern.AsSpan(1), StringComparison.OrdinalIgnoreCase)) return true;
            }
            else if (string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when there are no patterns, or <paramref name="baseUrl"/> is an absolute URL whose host they allow.</summary>
    public static bool AllowsUrl(IReadOnlyCollection<string> patterns, string? baseUrl)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        return patterns.Count == 0 || (Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && Allows(patterns, uri.IdnHost));
    }

    /// <summary>Why <paramref name="pattern"/> is not a pattern (a scheme, a port, a path, a wildcard elsewhere), or null.</summary>
    public static string? Problem(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return "is empty";
        var host = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern[2..] : pattern;
        if (host.Contains('*', StringComparison.Ordinal)) return $"'{pattern}' may hold a wildcard only as its first label ('*.example.com')";
        if (Uri.CheckHostName(host) == UriHostNameType.Unknown) return $"'{pattern}' is not a host name (no scheme, port or path)";
        return null;
    }
}
