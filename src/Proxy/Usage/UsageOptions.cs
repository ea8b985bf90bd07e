using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Usage;

/// <summary>Where usage records go (section <c>Proxy:Usage</c>): channel, spool and shipper settings.</summary>
internal sealed class UsageOptions
{
    public const string Section = "Proxy:Usage";

    /// <summary><c>File</c>: the local NDJSON ledger (standalone); <c>Grpc</c>: the control plane's ingestion service.</summary>
    public UsageShipperKind Shipper { get; set; } = UsageShipperKind.File;

    /// <summary>Records the channel holds before writes spill straight to the spool.</summary>
    [Range(16, 1_000_000)]
    public int ChannelCapacity { get; set; } = 10_000;

    /// <summary>Most records appended in one write (a syncer fsyncs behind the writes).</summary>
    [Range(1, 100_000)]
    public int GroupCommitMaxBatch { get; set; } = 1024;

    /// <summary>How long the writer waits for more records after the first of a batch (0: write whatever is queued at once).</summary>
    [Range(0, 1000)]
    public int GroupCommitDelayMs { get; set; }

    /// <summary>
    /// When a request ends as the only one in flight, with nothing queued and the spool file free,
    /// its own thread appends its record (one <c>pwrite</c> into the page cache, a few microseconds)
    /// instead of waking the writer thread for it: under light load every record was a wake-up and
    /// two context switches on the proxy's core, next to the request that follows. With other
    /// requests in flight records queue and the writer batches them (one write for many). False:
    /// every record goes through the writer.
    /// </summary>
    public bool AppendWhenIdle { get; set; } = true;

    /// <summary>
    /// Shortest time between two fsyncs of the open segment. Every batch is written to the file at
    /// once (from then on a crash of the process loses nothing); the fsync that makes it survive a
    /// crash of the machine follows within this interval. 0 fsyncs after every write, which under
    /// light load is one fsync per request on the proxy's cores.
    /// </summary>
    [Range(0, 1000)]
    public int SyncIntervalMs { get; set; } = 10;

    /// <summary>A segment is sealed (and shipped) once it is this large…</summary>
    [Range(4096, 1L << 30)]
    public long SegmentMaxBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>…or this old (milliseconds since its first record).</summary>
    [Range(10, 3_600_000)]
    public int SegmentMaxAgeMs { get; set; } = 1000;

    /// <summary>How often the shipper looks for sealed segments.</summary>
    [Range(10, 60_000)]
    public int ShipIntervalMs { get; set; } = 200;

    /// <summary>Longest pause between two attempts to ship a segment the shipper could not deliver.</summary>
    [Range(1, 3600)]
    public int ShipRetryMaxSeconds { get; set; } = 30;
}

internal enum UsageShipperKind
{
    File,
    Grpc,
}

/// <summary>Keyed-service names of the shippers (the gRPC one is registered by the control-plane feed).</summary>
internal static class UsageShipperKeys
{
    public const string Grpc = "grpc";
}

/// <summary>
/// The data annotations of <see cref="UsageOptions"/> (and its <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>
/// rules), checked by code generated at compile time rather than by reflection, so they hold in a
/// trimmed or Native AOT build too.
/// </summary>
[OptionsValidator]
internal sealed partial class UsageOptionsDataAnnotations : IValidateOptions<UsageOptions>;
