using Gateway.Contracts.Errors;

namespace Gateway.Proxy.Policies.Authentication;

/// <summary>Where a client put its key.</summary>
internal static class PresentedCredential
{
    /// <summary>
    /// The key from <c>Authorization: Bearer</c>, <c>api-key</c>, <c>x-api-key</c> or the
    /// <c>openai-insecure-api-key.{key}</c> WebSocket subprotocol, in that order; empty when none.
    /// <paramref name="source"/> is the header value it was found in (null when there is no key).
    /// </summary>
    public static ReadOnlySpan<char> Find(HttpRequest request, out string? source)
    {
        var headers = request.Headers;
        if (headers.Authorization is { Count: > 0 } authorization)
        {
            source = authorization[0];
            var value = source.AsSpan().Trim();
            if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return value[7..].Trim();
            return value;
        }
        if (headers[GatewayHeaders.ApiKey] is { Count: > 0 } apiKey) return (source = apiKey[0]).AsSpan().Trim();
        if (headers[GatewayHeaders.AnthropicApiKey] is { Count: > 0 } xApiKey) return (source = xApiKey[0]).AsSpan().Trim();
        foreach (var protocols in headers.SecWebSocketProtocol)
        {
            source = protocols;
            var rest = protocols.AsSpan();
            while (!rest.IsEmpty)
            {
                var comma = rest.IndexOf(',');
                var item = (comma < 0 ? rest : rest[..comma]).Trim();
                if (item.StartsWith(GatewayHeaders.WebSocketKeyProtocolPrefix, StringComparison.Ordinal))
                    return item[GatewayHeaders.WebSocketKeyProtocolPrefix.Length..];
                rest = comma < 0 ? [] : rest[(comma + 1)..];
            }
        }
        source = null;
        return [];
    }
}
