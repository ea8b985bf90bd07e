using System.Diagnostics;
using Gateway.Bench.LoadGen;
using HdrHistogram;

namespace Gateway.Bench.Tests;

/// <summary>
/// The open loop sends each request at its scheduled time (BENCHMARKS.md): never before it, once,
/// in order, and without spinning on the core it shares with the upstream. Alone in its
/// collection, so that other tests do not delay its sleeps.
/// </summary>
[Collection(nameof(ClockTests))]
[CollectionDefinition(nameof(ClockTests), DisableParallelization = true)]
public sealed class ClockTests
{
    private static readonly long Millisecond = Stopwatch.Frequency / 1000;

    [Fact]
    public void OnLinux_DeadlinesAreSleptToOnTheKernelsClock()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The rig is Linux.");
        Assert.True(Clock.Precise);
    }

    [Fact]
    public void SleepUntil_NeverReturnsBeforeTheDeadline()
    {
        var late = new List<long>();
        for (var i = 0; i < 200; i++)
        {
            var due = Stopwatch.GetTimestamp() + Millisecond / 2 + (i % 4) * Millisecond / 2; // 0.5 to 2 ms ahead
            Clock.SleepUntil(due);
            var now = Stopwatch.GetTimestamp();
            Assert.True(now >= due, $"woke {(due - now) * 1_000_000 / Stopwatch.Frequency} µs early");
            late.Add(now - due);
        }
        late.Sort();
        // Tens of µs on an idle machine; on a busy one the thread waits its turn for a core (2.5 ms
        // at the median with both cores spinning), so only a gross overshoot is a failure here.
        Assert.True(late[late.Count / 2] < 50 * Millisecond, $"median lateness {late[late.Count / 2] * 1_000_000 / Stopwatch.Frequency} µs");
    }

    [Fact]
    public void SleepUntil_APastDeadline_ReturnsAtOnce()
    {
        var started = Stopwatch.GetTimestamp();
        Clock.SleepUntil(started - Stopwatch.Frequency);
        Assert.True(Stopwatch.GetTimestamp() - started < 50 * Millisecond);
    }

    [Fact]
    public async Task PaceAsync_SendsEachScheduledTimeOnce_InOrder_NeverEarly_AndWaitsForTheSends()
    {
        var start = Stopwatch.GetTimestamp() + 5 * Millisecond;
        var interval = Stopwatch.Frequency / 1000.0; // 1,000 a second
        var end = start + 300 * Millisecond;
        var sends = new List<(long Due, int Index, long At)>();
        var finished = 0;
        var lateness = new LongHistogram(600_000_000L, 3);

        await Clock.PaceAsync(start, end, interval, async (due, index) =>
        {
            sends.Add((due, index, Stopwatch.GetTimestamp())); // the pacer's thread, one at a time
            await Task.Delay(20, TestContext.Current.CancellationToken);
            Interlocked.Increment(ref finished);
        }, lateness, TestContext.Current.CancellationToken);

        Assert.Equal(300, sends.Count);
        Assert.Equal(300, finished); // PaceAsync ends after the last send's task, not after the last start
        Assert.Equal(300, lateness.TotalCount);
        for (var i = 0; i < sends.Count; i++)
        {
            Assert.Equal(i, sends[i].Index);
            Assert.Equal(start + (long)(i * interval), sends[i].Due);
            Assert.True(sends[i].At >= sends[i].Due, $"send {i} started before its time");
        }
    }

    [Fact]
    public async Task PaceAsync_SleepsBetweenSends_InsteadOfSpinning()
    {
        Assert.SkipUnless(Clock.Precise, "Only the kernel-clock sleep promises this.");
        var lateness = new LongHistogram(600_000_000L, 3);
        var start = Stopwatch.GetTimestamp();
        (long Ticks, long At) first = default, last = default;

        // The pacing thread's own CPU time, read on it (in the first and the last send), so that
        // the JIT, the GC and the machine's other work do not count.
        await Clock.PaceAsync(start, start + 600 * Millisecond, Stopwatch.Frequency / 500.0, (_, index) =>
        {
            if (index == 0) first = (ThreadCpuTicks(), Stopwatch.GetTimestamp());
            if (index == 299) last = (ThreadCpuTicks(), Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        }, lateness, TestContext.Current.CancellationToken);

        Assert.Equal(300, lateness.TotalCount);
        var used = (last.Ticks - first.Ticks) * 0.01 / ((last.At - first.At) / (double)Stopwatch.Frequency);
        // Polling a 1 ms timer and yielding until each send kept the pacing thread ~half busy at 500 a second.
        Assert.True(used < 0.15, $"the pacing thread used {used:P0} of a core");
    }

    /// <summary>The calling thread's user + system time in clock ticks (1/100 s), from <c>/proc/thread-self/stat</c>.</summary>
    private static long ThreadCpuTicks()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields from the third (state) on
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
    }
}
