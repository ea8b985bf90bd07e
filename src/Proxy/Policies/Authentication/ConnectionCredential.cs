using Gateway.Proxy.Snapshots;
using Microsoft.AspNetCore.Connections.Features;

namespace Gateway.Proxy.Policies.Authentication;

/// <summary>
/// The last key a connection authenticated with, so that the next request on it that presents the
/// very same header value skips the SHA-256 (most clients send one key over a kept-alive
/// connection). Kestrel gives a request the previous request's string when the header's bytes are
/// the same (<c>KestrelServerOptions.DisableStringReuse</c>, off by default), so the match is by
/// reference: the same string object is the same credential, and no key material is compared or
/// kept beyond what the connection already holds. The answer is reused only within the snapshot
/// that gave it (a new snapshot may revoke or remove the key) and only while the key has not
/// expired; anything else, and every refusal, takes the full check. Kept in the connection's
/// <see cref="IPersistentStateFeature"/> (for HTTP/2, per pooled stream: one request at a time).
/// </summary>
internal sealed class ConnectionCredential
{
    private static readonly object StateKey = new();

    private string? _source;
    private CompiledSnapshot? _snapshot;
    private CompiledKey? _key;

    /// <summary>The key this connection authenticated with <paramref name="source"/> in <paramref name="snapshot"/>, if it did and it has not expired.</summary>
    public static CompiledKey? Find(HttpContext context, string? source, CompiledSnapshot snapshot, DateTimeOffset now)
    {
        if (source is null || context.Features.Get<IPersistentStateFeature>()?.State is not { } state) return null;
        if (!state.TryGetValue(StateKey, out var value) || value is not ConnectionCredential last) return null;
        if (!ReferenceEquals(last._source, source) || !ReferenceEquals(last._snapshot, snapshot)) return null;
        return last._key is { } key && now < key.ExpiresAt ? key : null;
    }

    /// <summary>Notes that <paramref name="source"/> authenticated as <paramref name="key"/> in <paramref name="snapshot"/>.</summary>
    public static void Remember(HttpContext context, string? source, CompiledSnapshot snapshot, CompiledKey key)
    {
        if (source is null || context.Features.Get<IPersistentStateFeature>()?.State is not { } state) return;
        if (!state.TryGetValue(StateKey, out var value) || value is not ConnectionCredential last)
        {
            last = new ConnectionCredential();
            state[StateKey] = last;
        }
        last._source = source;
        last._snapshot = snapshot;
        last._key = key;
    }
}
