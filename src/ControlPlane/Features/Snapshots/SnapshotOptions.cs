using System.ComponentModel.DataAnnotations;

namespace Gateway.ControlPlane.Features.Snapshots;

/// <summary>Settings under <c>ControlPlane:Snapshot</c>.</summary>
internal sealed class SnapshotOptions
{
    public const string Section = "ControlPlane:Snapshot";

    /// <summary>PEM file of the ECDSA P-256 private key that signs snapshots. Required unless the default run generates one.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>How often each replica polls the revision counter (a change is pushed within this plus compile time).</summary>
    [Range(20, 10_000)]
    public int PollMilliseconds { get; set; } = 200;

    /// <summary>How often settled usage is folded into a new revision (when the ledger grew).</summary>
    [Range(1, 3600)]
    public int UsageRefreshSeconds { get; set; } = 10;

    /// <summary>A proxy is live when it was seen (watch or heartbeat) within this window.</summary>
    [Range(2, 3600)]
    public int LiveWindowSeconds { get; set; } = 15;

    /// <summary>Payloads larger than this are gzip-compressed.</summary>
    [Range(0, int.MaxValue)]
    public int GzipThresholdBytes { get; set; } = 64 * 1024;
}
