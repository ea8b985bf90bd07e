namespace Gateway.Proxy.Snapshots;

/// <summary>
/// Something that feeds <see cref="SnapshotStore"/>: the snapshot file, the default run's demo
/// catalog, (later) the control plane's gRPC stream. Sources push; the store decides.
/// </summary>
internal interface ISnapshotSource
{
    /// <summary>The source kind, used for revision ordering and logs (<c>file</c>, <c>demo</c>, <c>control-plane</c>).</summary>
    string Kind { get; }

    /// <summary>Tries to apply a first snapshot; true when the store accepted one.</summary>
    Task<bool> LoadInitialAsync(CancellationToken cancellationToken);

    /// <summary>Pushes later snapshots until <paramref name="cancellationToken"/> fires.</summary>
    Task WatchAsync(CancellationToken cancellationToken);
}

/// <summary>Source kind names.</summary>
internal static class SnapshotSourceKinds
{
    public const string File = "file";
    public const string Demo = "demo";
    public const string LastKnownGood = "lkg";
}
