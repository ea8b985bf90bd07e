using System.Diagnostics.Metrics;
using Gateway.Proxy.Policies.Admission;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Telemetry;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Hosting;

/// <summary>Settings of the idle memory trim (section <c>Proxy:IdleTrim</c>).</summary>
internal sealed class IdleTrimOptions
{
    /// <summary>Give memory back to the OS once the proxy falls idle after load.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Also trim once when start-up has finished (the first snapshot applied, the tokenizers'
    /// vocabularies loaded): parsing them leaves ~15 MB of garbage the GC would otherwise keep
    /// committed until traffic makes it collect.
    /// </summary>
    public bool AfterStartup { get; set; } = true;

    /// <summary>How often the proxy looks at its allocation rate.</summary>
    public double CheckSeconds { get; set; } = 10;

    /// <summary>Idle: fewer bytes allocated than this since the last check (a request allocates ~10 KiB, so about 10 requests/s at the defaults).</summary>
    public long IdleAllocationBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Trim only when the GC's committed memory grew by at least this much since the last trim (the
    /// start-up trim counts) or the first look. 16 MiB: a load of 64 connections grows it by ~30–40 MiB
    /// over the ~13–20 MiB left after a trim, too close to the 32 MiB this was before.
    /// </summary>
    public long GrowthBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// After a trim that followed a load, trim once more when the proxy has stayed idle this long
    /// (0: never). What the load opened is still held at the first trim and let go later: the
    /// upstream connections a burst of streams opened stay pooled for 90 s (the connection pool's
    /// idle timeout) and nothing collects after they close, because an idle proxy allocates nothing.
    /// </summary>
    public double LateTrimSeconds { get; set; } = 120;
}

/// <summary>
/// When to trim: the proxy is idle (it allocated less than <see cref="IdleTrimOptions.IdleAllocationBytes"/>
/// since the last check) and the GC holds at least <see cref="IdleTrimOptions.GrowthBytes"/> more
/// than after the last trim. Once per idle period: the next trim needs the heap to grow again,
/// except one late trim when the proxy has stayed idle <see cref="IdleTrimOptions.LateTrimSeconds"/>
/// after such a trim. Only a look that comes about one check interval after the last (between half
/// and one and a half) counts: one much later follows a pause (the process was stopped, frozen or
/// starved), so the little it allocated says nothing about now and traffic may be arriving as it
/// resumes, when a trim (a blocking collection) would stall it; one much earlier is a tick that
/// came due during the same pause.
/// </summary>
internal sealed class IdleTrimPolicy(IdleTrimOptions options)
{
    private long _lastAllocated = -1;
    private long _baseline = -1;
    private bool _lateDue;
    private int _idleChecks;

    /// <summary>
    /// One check, <paramref name="sinceLastLook"/> after the last one (null: on time); true when the
    /// caller should trim now (then report the result with <see cref="Trimmed"/>).
    /// </summary>
    public bool Observe(long totalAllocatedBytes, long committedBytes, TimeSpan? sinceLastLook = null)
    {
        var first = _lastAllocated < 0;
        var allocated = totalAllocatedBytes - _lastAllocated;
        _lastAllocated = totalAllocatedBytes;
        if (first)
        {
            if (_baseline < 0) _baseline = committedBytes; // unless a trim (start-up's) set it already
            return false;
        }
        if (committedBytes < _baseline) _baseline = committedBytes; // the GC gave memory back by itself
        if (allocated >= options.IdleAllocationBytes || !OnTime(sinceLastLook))
        {
            _idleChecks = 0;
            return false;
        }
        _idleChecks++;
        if (committedBytes - _baseline >= options.GrowthBytes)
        {
            _lateDue = options.LateTrimSeconds > 0;
            _idleChecks = 0;
            return true;
        }
        if (_lateDue && _idleChecks * options.CheckSeconds >= options.LateTrimSeconds)
        {
            _lateDue = false;
            return true;
        }
        return false;
    }

    private bool OnTime(TimeSpan? sinceLastLook) =>
        sinceLastLook is not { } since || (since.TotalSeconds >= options.CheckSeconds * 0.5 && since.TotalSeconds <= options.CheckSeconds * 1.5);

    /// <summary>The committed memory after a trim becomes the baseline the next trim is measured from.</summary>
    public void Trimmed(long committedBytes) => _baseline = committedBytes;
}

/// <summary>
/// Gives the GC's memory back to the OS once start-up has finished (<see cref="IdleTrimOptions.AfterStartup"/>)
/// and whenever the proxy falls idle after load. Without it a proxy
/// that served a peak keeps the peak's heap (no allocation, so no collection) until traffic
/// returns: measured 185 MiB at start, 333 MiB still held 45 s after a load of 64 connections and
/// 1,000 streams. A late trim follows after <see cref="IdleTrimOptions.LateTrimSeconds"/> of idle, for
/// what the load let go later (pooled upstream connections). The trim, taken only while the proxy is
/// idle, is an aggressive, compacting, blocking full collection (<see cref="GCCollectionMode.Aggressive"/>),
/// a second one once the finalizers have run, then the C heap's free pages (<see cref="NativeHeap.Trim"/>).
/// </summary>
internal sealed partial class IdleMemoryTrimmer : BackgroundService
{
    /// <summary>How often start-up's end is looked for.</summary>
    internal static readonly TimeSpan StartupPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>How long start-up's end is waited for before the start-up trim is given up (a proxy without a snapshot).</summary>
    internal static readonly TimeSpan StartupWait = TimeSpan.FromMinutes(5);

    private readonly IdleTrimOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<IdleMemoryTrimmer> _logger;
    private readonly Counter<long> _trims;
    private readonly Func<(long Allocated, long Committed)> _read;
    private readonly Action _trim;
    private readonly Func<bool> _startedUp;

    public IdleMemoryTrimmer(IOptions<ProxyOptions> options, TimeProvider time, ProxyTelemetry telemetry, ILogger<IdleMemoryTrimmer> logger, SnapshotStore snapshots)
        : this(options.Value.IdleTrim, time, telemetry, logger, ReadGc, TrimGc, () => snapshots.Current is not null && Tokenizers.Loaded)
    {
    }

    internal IdleMemoryTrimmer(
        IdleTrimOptions options, TimeProvider time, ProxyTelemetry telemetry, ILogger<IdleMemoryTrimmer> logger, Func<(long, long)> read, Action trim, Func<bool> startedUp)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _read = read;
        _trim = trim;
        _startedUp = startedUp;
        _trims = telemetry.Meter.CreateCounter<long>("gateway.proxy.memory.idle_trims", "{trim}", "Times the idle proxy gave the GC's free memory back to the OS");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled) return;
        // The start-up trim's result is the baseline. Taken at the first look instead (after the
        // first requests have committed a 16 MiB gen0 budget), the growth of a load often stayed
        // under the threshold and the idle proxy kept the peak's heap.
        var policy = new IdleTrimPolicy(_options);
        try
        {
            if (_options.AfterStartup && await TrimAfterStartupAsync(stoppingToken) is { } afterStartup) policy.Trimmed(afterStartup);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.CheckSeconds), _time);
        var lastLook = _time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // A tick overdue after a pause (SIGSTOP, a frozen container) comes at once on resuming,
                // as traffic may be resuming too: the policy does not trim on it.
                var now = _time.GetTimestamp();
                var sinceLastLook = _time.GetElapsedTime(lastLook, now);
                lastLook = now;
                var (allocated, committed) = _read();
                if (!policy.Observe(allocated, committed, sinceLastLook)) continue;
                _trim();
                var after = _read().Committed;
                policy.Trimmed(after);
                _trims.Add(1);
                LogTrimmed(committed / (1024 * 1024), after / (1024 * 1024));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Waits (looking every 250 ms, for at most <see cref="StartupWait"/>) for start-up to finish, then
    /// trims once; the committed bytes after the trim, or null when start-up did not finish in time.
    /// </summary>
    private async Task<long?> TrimAfterStartupAsync(CancellationToken stoppingToken)
    {
        var deadline = _time.GetUtcNow() + StartupWait;
        while (!_startedUp())
        {
            if (_time.GetUtcNow() >= deadline) return null;
            await Task.Delay(StartupPoll, _time, stoppingToken);
        }
        var before = _read().Committed;
        _trim();
        _trims.Add(1);
        var after = _read().Committed;
        LogTrimmedAfterStartup(before / (1024 * 1024), after / (1024 * 1024));
        return after;
    }

    private static (long, long) ReadGc() => (GC.GetTotalAllocatedBytes(), GC.GetGCMemoryInfo().TotalCommittedBytes);

    private static void TrimGc()
    {
        // What a collection finds unreachable but finalizable (closed sockets' handles), and what the
        // pools let go in their callbacks after a full collection (ArrayPool.Shared drops the arrays
        // unused for a minute), is freed only by the next collection: an idle proxy makes none, so
        // the trim collects again once they have run.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Idle after load: gave the GC's free memory back to the OS ({BeforeMiB} MiB committed before, {AfterMiB} MiB after)")]
    private partial void LogTrimmed(long beforeMiB, long afterMiB);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Start-up finished: gave the GC's free memory back to the OS ({BeforeMiB} MiB committed before, {AfterMiB} MiB after)")]
    private partial void LogTrimmedAfterStartup(long beforeMiB, long afterMiB);
}
