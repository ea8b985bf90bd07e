using Gateway.Contracts.Snapshot;

namespace Gateway.Proxy.Snapshots;

/// <summary>An API key as the proxy knows it: the SHA-256 of the key, never the key.</summary>
internal sealed class CompiledKey(ApiKeySpec spec, byte[] hash, CompiledTeam team, CompiledSubscription[] subscriptions)
{
    public ApiKeySpec Spec { get; } = spec;

    public string KeyId => Spec.KeyId;

    /// <summary>The 32 bytes of the SHA-256 of the whole key.</summary>
    public ReadOnlySpan<byte> Hash => hash;

    public CompiledTeam Team { get; } = team;

    public CompiledSubscription[] Subscriptions { get; } = subscriptions;

    public DateTimeOffset ExpiresAt => Spec.ExpiresAt;

    public bool Revoked => Spec.Status == KeyStatus.Revoked;

    /// <summary>The key's subscription to <paramref name="model"/>, found without allocating.</summary>
    public bool TryGetSubscription(CompiledModel model, out CompiledSubscription subscription)
    {
        foreach (var candidate in Subscriptions)
        {
            if (ReferenceEquals(candidate.Model, model))
            {
                subscription = candidate;
                return true;
            }
        }
        subscription = null!;
        return false;
    }
}

/// <summary>A team (the owner of keys and subscriptions).</summary>
internal sealed class CompiledTeam(TeamSpec spec)
{
    public TeamSpec Spec { get; } = spec;

    public string Id => Spec.Id;
}

/// <summary>Team × alias access with an optional pinned version.</summary>
internal sealed class CompiledSubscription(SubscriptionSpec spec, CompiledTeam team, CompiledModel model, CompiledVersion? pinned)
{
    public SubscriptionSpec Spec { get; } = spec;

    public string Id => Spec.Id;

    public CompiledTeam Team { get; } = team;

    public CompiledModel Model { get; } = model;

    public CompiledVersion? Pinned { get; } = pinned;
}
