using System.Collections.Frozen;
using Gateway.Contracts.Snapshot;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// The snapshot as the hot path reads it: immutable, cross-linked, frozen lookups that accept
/// spans so that finding a key or a model allocates nothing. Built once per accepted snapshot by
/// <see cref="SnapshotCompiler"/> and published through one volatile reference in <see cref="SnapshotStore"/>.
/// </summary>
internal sealed class CompiledSnapshot
{
    private readonly FrozenDictionary<string, CompiledKey>.AlternateLookup<ReadOnlySpan<char>> _keys;
    private readonly FrozenDictionary<string, CompiledModel>.AlternateLookup<ReadOnlySpan<char>> _models;
    private readonly FrozenDictionary<string, CompiledVersion>.AlternateLookup<ReadOnlySpan<char>> _versions;

    public CompiledSnapshot(
        GatewaySnapshot spec,
        string source,
        FrozenDictionary<string, CompiledKey> keys,
        FrozenDictionary<string, CompiledModel> models,
        FrozenDictionary<string, CompiledVersion> versions,
        FrozenDictionary<string, CompiledProvider> providers,
        FrozenDictionary<string, CompiledTeam> teams)
    {
        Spec = spec;
        Source = source;
        Keys = keys;
        Models = models;
        Versions = versions;
        Providers = providers;
        Teams = teams;
        _keys = keys.GetAlternateLookup<ReadOnlySpan<char>>();
        _models = models.GetAlternateLookup<ReadOnlySpan<char>>();
        _versions = versions.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// The snapshot this view was compiled from, without its keys (<see cref="Keys"/> holds them
    /// compiled; <see cref="ToSpec"/> gives the whole snapshot back).
    /// </summary>
    public GatewaySnapshot Spec { get; }

    /// <summary>The whole snapshot, keys included, as it was applied (for the last-known-good file).</summary>
    public GatewaySnapshot ToSpec() => Spec with { Keys = [.. Keys.Values.Select(k => k.ToSpec())] };

    public long Revision => Spec.Revision;

    /// <summary>Which source kind delivered it (<c>file</c>, <c>demo</c>, <c>lkg</c>, later <c>control-plane</c>).</summary>
    public string Source { get; }

    public FrozenDictionary<string, CompiledKey> Keys { get; }

    public FrozenDictionary<string, CompiledModel> Models { get; }

    public FrozenDictionary<string, CompiledVersion> Versions { get; }

    public FrozenDictionary<string, CompiledProvider> Providers { get; }

    public FrozenDictionary<string, CompiledTeam> Teams { get; }

    public bool TryGetKey(ReadOnlySpan<char> keyId, out CompiledKey key) => _keys.TryGetValue(keyId, out key!);

    /// <summary>A model by alias.</summary>
    public bool TryGetModel(ReadOnlySpan<char> alias, out CompiledModel model) => _models.TryGetValue(alias, out model!);

    /// <summary>A model version by its exact name.</summary>
    public bool TryGetVersion(ReadOnlySpan<char> name, out CompiledVersion version) => _versions.TryGetValue(name, out version!);
}
