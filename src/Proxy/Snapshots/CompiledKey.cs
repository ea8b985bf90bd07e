using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Gateway.Contracts.Snapshot;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// An API key as the proxy knows it: the SHA-256 of the key, never the key. A snapshot carries
/// one per key (tens of thousands in a large bank), so it holds only what the request path needs,
/// with the hash inline and the team and subscriptions shared, not the <see cref="ApiKeySpec"/>
/// and its strings; <see cref="ToSpec"/> gives the spec back for the last-known-good file.
/// </summary>
internal sealed class CompiledKey
{
    private readonly Sha256Hash _hash;

    public CompiledKey(ApiKeySpec spec, CompiledTeam team, CompiledSubscription[] subscriptions)
    {
        if (Convert.FromHexString(spec.Hash, _hash, out _, out var written) != OperationStatus.Done || written != Sha256Hash.Length)
            throw new FormatException($"Key '{spec.KeyId}': the hash is not 64 hex digits.");
        KeyId = spec.KeyId;
        Application = spec.Application;
        ExpiresAt = spec.ExpiresAt;
        Status = spec.Status;
        Limits = spec.Limits;
        AllowedNetworks = spec.AllowedNetworks is { Count: > 0 } networks ? [.. networks.Select(Gateway.Contracts.Keys.ClientNetworks.Parse)] : null;
        Team = team;
        Subscriptions = subscriptions;
    }

    public string KeyId { get; }

    public string Application { get; }

    /// <summary>The 32 bytes of the SHA-256 of the whole key.</summary>
    public ReadOnlySpan<byte> Hash => _hash;

    public CompiledTeam Team { get; }

    /// <summary>The key's subscriptions; keys with the same set share one array.</summary>
    public CompiledSubscription[] Subscriptions { get; }

    public DateTimeOffset ExpiresAt { get; }

    public KeyStatus Status { get; }

    public bool Revoked => Status == KeyStatus.Revoked;

    /// <summary>The key's own rate limits, if any.</summary>
    public LimitSpec? Limits { get; }

    /// <summary>The only networks the key may be used from; null: any.</summary>
    public IPNetwork[]? AllowedNetworks { get; }

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

    /// <summary>The key as the snapshot described it.</summary>
    public ApiKeySpec ToSpec() => new(KeyId, Convert.ToHexStringLower(Hash), Team.Id, Application, ExpiresAt, [.. Subscriptions.Select(s => s.Id)])
    {
        Status = Status,
        Limits = Limits,
        AllowedNetworks = AllowedNetworks is null ? null : [.. AllowedNetworks.Select(n => n.ToString())],
    };

    [InlineArray(Length)]
    private struct Sha256Hash
    {
        public const int Length = 32;

        private byte _first;
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
