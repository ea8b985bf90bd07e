using System.Diagnostics.Metrics;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Proxy.Tests;

public sealed class IdleMemoryTrimmerTests
{
    private const long MiB = 1024 * 1024;

    private static IdleTrimOptions Options() => new() { CheckSeconds = 10, IdleAllocationBytes = 1 * MiB, GrowthBytes = 16 * MiB, AfterStartup = false };

    [Fact]
    public void Policy_TrimsOnlyWhenIdle_AfterTheHeapGrew_AndOncePerIdlePeriod()
    {
        var policy = new IdleTrimPolicy(Options());
        long allocated = 0;

        Assert.False(policy.Observe(allocated, 100 * MiB));                    // the first look sets the baseline
        Assert.False(policy.Observe(allocated += 500 * MiB, 300 * MiB));       // busy: allocating fast, heap grew
        Assert.False(policy.Observe(allocated += 2 * MiB, 300 * MiB));         // still 2 MiB per check: not idle
        Assert.True(policy.Observe(allocated += 100_000, 300 * MiB));          // idle and 200 MiB above the baseline
        policy.Trimmed(110 * MiB);
        Assert.False(policy.Observe(allocated += 100_000, 110 * MiB));         // idle, but nothing to give back
        Assert.False(policy.Observe(allocated += 100_000, 120 * MiB));         // grew by less than 16 MiB
        Assert.True(policy.Observe(allocated += 100_000, 130 * MiB));          // grew by 20 MiB while idle
    }

    [Fact]
    public void Policy_ALookThatSpansAPause_NeverTrims_TheNextOnTimeIdleLookDoes()
    {
        var policy = new IdleTrimPolicy(Options());
        long allocated = 0;
        var onTime = TimeSpan.FromSeconds(10);

        Assert.False(policy.Observe(allocated, 100 * MiB, onTime));
        Assert.False(policy.Observe(allocated += 500 * MiB, 300 * MiB, onTime));                 // busy
        // Stopped for 40 s, then resumed: little allocated since the last look, the heap still 200 MiB
        // above the baseline, but the look comes as traffic may be resuming: no trim.
        Assert.False(policy.Observe(allocated += 1000, 300 * MiB, TimeSpan.FromSeconds(40)));
        Assert.False(policy.Observe(allocated += 1000, 300 * MiB, TimeSpan.FromSeconds(15.1))); // just past 1.5 intervals
        Assert.False(policy.Observe(allocated += 1000, 300 * MiB, TimeSpan.FromSeconds(4.9)));  // a tick due during the same pause
        Assert.True(policy.Observe(allocated += 1000, 300 * MiB, TimeSpan.FromSeconds(15)));   // late, but within 1.5 intervals
        policy.Trimmed(110 * MiB);
    }

    [Fact]
    public void Policy_APause_RestartsTheLateTrimsIdleStretch()
    {
        var policy = LateTrimPolicy(60);
        long allocated = 0;

        LoadThenTrim(policy, ref allocated);
        for (var check = 1; check < 6; check++) Assert.False(policy.Observe(allocated += 1000, 150 * MiB));
        Assert.False(policy.Observe(allocated += 1000, 150 * MiB, TimeSpan.FromSeconds(30))); // would have been the late trim
        for (var check = 1; check < 6; check++) Assert.False(policy.Observe(allocated += 1000, 150 * MiB));
        Assert.True(policy.Observe(allocated += 1000, 150 * MiB));
    }

    /// <summary>A policy with the late trim after <paramref name="lateTrimSeconds"/>, past its first look (100 MiB committed).</summary>
    private static IdleTrimPolicy LateTrimPolicy(double lateTrimSeconds)
    {
        var options = Options();
        options.LateTrimSeconds = lateTrimSeconds;
        var policy = new IdleTrimPolicy(options);
        Assert.False(policy.Observe(0, 100 * MiB));
        return policy;
    }

    /// <summary>A load (500 MiB allocated, the heap at 300 MiB), the idle trim after it, and 150 MiB still held after the trim.</summary>
    private static void LoadThenTrim(IdleTrimPolicy policy, ref long allocated)
    {
        Assert.False(policy.Observe(allocated += 500 * MiB, 300 * MiB));   // busy
        Assert.True(policy.Observe(allocated += 1000, 300 * MiB));         // idle after load: the trim
        policy.Trimmed(150 * MiB);                                           // what the load opened is still held
    }

    [Fact]
    public void Policy_AfterATrimThatFollowedLoad_TrimsOnceMore_WhenIdleLongEnough()
    {
        var policy = LateTrimPolicy(60);
        long allocated = 0;

        LoadThenTrim(policy, ref allocated);
        for (var check = 1; check < 6; check++) Assert.False(policy.Observe(allocated += 1000, 150 * MiB));
        Assert.True(policy.Observe(allocated += 1000, 150 * MiB));         // idle 60 s since: the late trim
        policy.Trimmed(110 * MiB);
        for (var check = 0; check < 30; check++) Assert.False(policy.Observe(allocated += 1000, 110 * MiB)); // once
    }

    [Fact]
    public void Policy_TheLateTrim_NeedsALoadTrimBefore_AndAnUnbrokenIdleStretch()
    {
        var policy = LateTrimPolicy(60);
        long allocated = 0;

        for (var check = 0; check < 30; check++) Assert.False(policy.Observe(allocated += 1000, 100 * MiB)); // never loaded
        LoadThenTrim(policy, ref allocated);
        for (var check = 0; check < 5; check++) Assert.False(policy.Observe(allocated += 1000, 150 * MiB));
        Assert.False(policy.Observe(allocated += 2 * MiB, 150 * MiB));     // a few requests: the stretch starts again
        for (var check = 1; check < 6; check++) Assert.False(policy.Observe(allocated += 1000, 150 * MiB));
        Assert.True(policy.Observe(allocated += 1000, 150 * MiB));
    }

    [Fact]
    public void Policy_WithoutALateTrim_TrimsOncePerIdlePeriod()
    {
        var policy = LateTrimPolicy(0);
        long allocated = 0;

        LoadThenTrim(policy, ref allocated);
        for (var check = 0; check < 100; check++) Assert.False(policy.Observe(allocated += 1000, 150 * MiB));
    }

    [Fact]
    public void Policy_AHeapTheGcShrankByItself_LowersTheBaseline()
    {
        var policy = new IdleTrimPolicy(Options());
        Assert.False(policy.Observe(0, 200 * MiB));
        Assert.False(policy.Observe(100, 120 * MiB)); // the GC gave 80 MiB back on its own
        Assert.True(policy.Observe(200, 140 * MiB));  // 20 MiB above the new low
    }

    [Fact]
    public void Policy_ATrimBeforeTheFirstLook_IsTheBaseline()
    {
        // The start-up trim left 13 MiB; by the first look the first requests had committed a gen0
        // budget (40 MiB). Measured from the first look the load's growth (to 50 MiB) would be 10 MiB,
        // under the threshold; measured from the trim it is 37 MiB.
        var policy = new IdleTrimPolicy(Options());
        policy.Trimmed(13 * MiB);
        Assert.False(policy.Observe(0, 40 * MiB));
        Assert.False(policy.Observe(600 * MiB, 50 * MiB));       // busy
        Assert.True(policy.Observe((600 * MiB) + 1000, 50 * MiB)); // idle, 37 MiB above the start-up trim
    }

    [Fact]
    public async Task Trimmer_MeasuresTheGrowthFromTheStartupTrim()
    {
        // Start-up trim: 36 MiB before, 13 after. Then the looks: first requests (40), load (50), idle (50).
        var options = Options();
        options.AfterStartup = true;
        using var rig = new ReadingsRig(options, [(0, 36 * MiB), (0, 13 * MiB), (1 * MiB, 40 * MiB), (600 * MiB, 50 * MiB), ((600 * MiB) + 1000, 50 * MiB)]);

        await rig.Trimmer.StartAsync(TestContext.Current.CancellationToken);
        for (var wait = 0; rig.TrimCalls == 0 && wait < 1000; wait++)
        {
            rig.Time.Advance(IdleMemoryTrimmer.StartupPoll);
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
        await rig.ChecksAsync(3);
        await rig.Trimmer.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, rig.TrimCalls); // start-up's, then idle after the load
    }

    [Fact]
    public async Task Trimmer_TrimsOnceWhenTheProxyFallsIdleAfterLoad_CountsAndLogsIt()
    {
        // What the GC reports at each look: start, load (fast allocation, heap grows), idle, idle.
        using var rig = new ReadingsRig(Options(), [(0, 100 * MiB), (900 * MiB, 320 * MiB), ((900 * MiB) + 1000, 320 * MiB), ((900 * MiB) + 1000, 105 * MiB), ((900 * MiB) + 2000, 105 * MiB)]);

        await rig.Trimmer.StartAsync(TestContext.Current.CancellationToken);
        await rig.ChecksAsync(5);
        await rig.Trimmer.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, rig.TrimCalls);
        Assert.Equal(1, rig.Trims.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task Trimmer_DoesNotTrimOnTheTickThatComesDueWhenAPausedProcessResumes()
    {
        // Start, load, then the process is stopped for 40 s (its timer's ticks come due meanwhile and
        // arrive on resuming): the looks then see almost nothing allocated and the heap grown, but do
        // not trim; the next on-time idle look does.
        using var rig = new ReadingsRig(Options(), [(0, 100 * MiB), (900 * MiB, 320 * MiB), ((900 * MiB) + 1000, 320 * MiB)]);

        await rig.Trimmer.StartAsync(TestContext.Current.CancellationToken);
        await rig.ChecksAsync(2);
        await rig.CheckAfterAsync(TimeSpan.FromSeconds(40));
        Assert.Equal(0, rig.TrimCalls);
        // Fake time fires each tick the pause missed; the loop keeps one and takes it at once after
        // the late look (an early look, which does not trim either), so the on-time look may come
        // after the read the next check waits for: wait for the trim itself.
        await rig.ChecksAsync(1);
        for (var wait = 0; rig.TrimCalls == 0 && wait < 1000; wait++) await Task.Delay(5, TestContext.Current.CancellationToken);
        await rig.Trimmer.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, rig.TrimCalls);
    }

    [Fact]
    public async Task Trimmer_Disabled_NeverLooks()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var telemetry = new ProxyTelemetry(services.GetRequiredService<IMeterFactory>());
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var looks = 0;
        var options = Options();
        options.Enabled = false;
        using var trimmer = new IdleMemoryTrimmer(options, time, telemetry, NullLogger<IdleMemoryTrimmer>.Instance, () => { looks++; return (0, 0); }, () => { }, () => true);

        await trimmer.StartAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(60));
        await Task.Delay(20, TestContext.Current.CancellationToken);
        await trimmer.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, looks);
    }

    [Fact]
    public async Task Trimmer_TrimsOnceWhenStartupHasFinished_ThenWatchesForIdleAfterLoad()
    {
        using var rig = new StartupRig();
        await rig.Trimmer.StartAsync(TestContext.Current.CancellationToken);
        // Not started up yet: it looks every 250 ms and does not trim.
        for (var i = 0; i < 400 && rig.StartupLooks < 4; i++)
        {
            rig.Time.Advance(IdleMemoryTrimmer.StartupPoll);
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
        Assert.True(rig.StartupLooks >= 4);
        Assert.Equal(0, rig.TrimCalls);

        rig.FinishStartup();
        for (var i = 0; i < 400 && rig.TrimCalls == 0; i++)
        {
            rig.Time.Advance(IdleMemoryTrimmer.StartupPoll);
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
        Assert.Equal(1, rig.TrimCalls);
        Assert.Equal(1, rig.Trims.GetMeasurementSnapshot().Sum(m => m.Value));

        // Then the idle-after-load loop runs as before (no growth here, so no second trim).
        for (var wait = 0; rig.Reads < 2 && wait < 1000; wait++) await Task.Delay(5, TestContext.Current.CancellationToken);
        var readsBefore = rig.Reads;
        for (var i = 0; i < 200 && rig.Reads < readsBefore + 3; i++)
        {
            rig.Time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
        await rig.Trimmer.StopAsync(TestContext.Current.CancellationToken);
        Assert.True(rig.Reads >= readsBefore + 3);
        Assert.Equal(1, rig.TrimCalls);
    }

    [Fact]
    public async Task Trimmer_GivesUpTheStartupTrim_WhenStartupNeverFinishes()
    {
        using var rig = new StartupRig();
        await rig.Trimmer.StartAsync(TestContext.Current.CancellationToken);
        // Past the wait (polls of 250 ms), the regular loop starts: its first 10 s check reads the GC.
        for (var elapsed = TimeSpan.Zero; elapsed <= IdleMemoryTrimmer.StartupWait + TimeSpan.FromSeconds(20) && rig.Reads == 0; elapsed += IdleMemoryTrimmer.StartupPoll)
        {
            rig.Time.Advance(IdleMemoryTrimmer.StartupPoll);
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
        await rig.Trimmer.StopAsync(TestContext.Current.CancellationToken);

        Assert.True(rig.Reads > 0, "the idle-after-load loop never started");
        Assert.Equal(0, rig.TrimCalls);
    }

    /// <summary>A trimmer under fake time whose GC reports the given readings in turn (the last one from then on); it counts reads and trims.</summary>
    private sealed class ReadingsRig : IDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly Queue<(long, long)> _readings;
        private (long, long) _last;
        private int _reads;
        private int _trimCalls;

        public ReadingsRig(IdleTrimOptions options, (long Allocated, long Committed)[] readings)
        {
            _readings = new Queue<(long, long)>(readings);
            var meters = _services.GetRequiredService<IMeterFactory>();
            Trims = new MetricCollector<long>(meters, ProxyTelemetry.Name, "gateway.proxy.memory.idle_trims");
            Trimmer = new IdleMemoryTrimmer(options, Time, new ProxyTelemetry(meters), NullLogger<IdleMemoryTrimmer>.Instance,
                () =>
                {
                    Interlocked.Increment(ref _reads);
                    return _last = _readings.Count > 0 ? _readings.Dequeue() : _last;
                },
                () => Interlocked.Increment(ref _trimCalls),
                () => true);
        }

        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UnixEpoch);

        public IdleMemoryTrimmer Trimmer { get; }

        public MetricCollector<long> Trims { get; }

        public int TrimCalls => Volatile.Read(ref _trimCalls);

        /// <summary>Runs <paramref name="count"/> 10 s checks, each awaited (a tick the loop has not taken yet would merge with the next).</summary>
        public async Task ChecksAsync(int count)
        {
            for (var i = 0; i < count; i++) await CheckAfterAsync(TimeSpan.FromSeconds(10));
        }

        /// <summary>Moves the clock on by <paramref name="elapsed"/> at once (a pause when it is several intervals) and awaits the look that follows.</summary>
        public async Task CheckAfterAsync(TimeSpan elapsed)
        {
            var before = Volatile.Read(ref _reads);
            Time.Advance(elapsed);
            for (var wait = 0; Volatile.Read(ref _reads) == before && wait < 1000; wait++) await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        public void Dispose()
        {
            Trimmer.Dispose();
            Trims.Dispose();
            _services.Dispose();
        }
    }

    /// <summary>A trimmer with the start-up trim on, fake time and a GC reporting 60 MiB committed; it counts reads, trims and looks for start-up's end.</summary>
    private sealed class StartupRig : IDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private int _reads;
        private int _trimCalls;
        private int _startupLooks;
        private volatile bool _startedUp;

        public StartupRig()
        {
            var meters = _services.GetRequiredService<IMeterFactory>();
            Trims = new MetricCollector<long>(meters, ProxyTelemetry.Name, "gateway.proxy.memory.idle_trims");
            var options = Options();
            options.AfterStartup = true;
            Trimmer = new IdleMemoryTrimmer(options, Time, new ProxyTelemetry(meters), NullLogger<IdleMemoryTrimmer>.Instance,
                () =>
                {
                    Interlocked.Increment(ref _reads);
                    return (0, 60 * MiB);
                },
                () => Interlocked.Increment(ref _trimCalls),
                () =>
                {
                    Interlocked.Increment(ref _startupLooks);
                    return _startedUp;
                });
        }

        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UnixEpoch);

        public IdleMemoryTrimmer Trimmer { get; }

        public MetricCollector<long> Trims { get; }

        public void FinishStartup() => _startedUp = true;

        public int Reads => Volatile.Read(ref _reads);

        public int TrimCalls => Volatile.Read(ref _trimCalls);

        public int StartupLooks => Volatile.Read(ref _startupLooks);

        public void Dispose()
        {
            Trimmer.Dispose();
            Trims.Dispose();
            _services.Dispose();
        }
    }
}
