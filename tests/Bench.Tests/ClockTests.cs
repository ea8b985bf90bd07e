using System.Diagnostics;
using Gateway.Bench.LoadGen;
using HdrHistogram;

namespace Gateway.Bench.Tests;

/// <summary>
/// The open loop sends each request at its scheduled time (BENCHMARKS.md): never before it, once,
/// in order, and without spinning on the core it shares with the upstream. Alone in its
/// collection, so that the process's CPU time is the pacer's.
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
    public void SleepUntil_NeverReturnsBeforeTheDeadline_AndReturnsSoonAfterIt()
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
        // Whole-millisecond sleeps would overshoot by ~1 ms; a deadline slept to on the kernel's clock, by tens of µs.
        Assert.True(late[late.Count / 2] < Millisecond / 2, $"median lateness {late[late.Count / 2] * 1_000_000 / Stopwatch.Frequency} µs");
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
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var start = Stopwatch.GetTimestamp();

        await Clock.PaceAsync(start, start + 600 * Millisecond, Stopwatch.Frequency / 500.0, (_, _) => Task.CompletedTask, lateness, TestContext.Current.CancellationToken);

        var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / wall.Elapsed.TotalMilliseconds;
        Assert.Equal(300, lateness.TotalCount);
        // Polling a 1 ms timer and yielding until each send kept a core ~half busy at 500 a second.
        Assert.True(used < 0.15, $"the pacer used {used:P0} of a core");
    }
}
