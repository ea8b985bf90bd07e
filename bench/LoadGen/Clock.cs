using System.Diagnostics;
using System.Runtime.InteropServices;
using HdrHistogram;

namespace Gateway.Bench.LoadGen;

/// <summary>
/// Stopwatch time, and the open loop's pacing: a thread that sleeps until each send's scheduled
/// time. On Linux it sleeps to the absolute deadline on <c>CLOCK_MONOTONIC</c> (the clock
/// <see cref="Stopwatch"/> reads there) with its timer slack at 1 ns, so it wakes tens of
/// microseconds late rather than the 0.4–1 ms (p50) of polling with <c>Task.Delay(1)</c>, whose
/// timer fires through the runtime's timer thread and the thread pool; it never spins on the core
/// it shares with the upstream.
/// </summary>
internal static partial class Clock
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsolute = 1;
    private const int SetTimerSlack = 29; // PR_SET_TIMERSLACK
    private const long NanosPerSecond = 1_000_000_000;

    /// <summary>True when deadlines are slept to on the kernel's clock (Linux, nanosecond Stopwatch).</summary>
    internal static bool Precise { get; } = OperatingSystem.IsLinux() && Stopwatch.Frequency == NanosPerSecond;

    public static long MicrosSince(long start) =>
        (Stopwatch.GetTimestamp() - start) * 1_000_000 / Stopwatch.Frequency;

    public static long Seconds(double s) => (long)(s * Stopwatch.Frequency);

    /// <summary>
    /// Runs <paramref name="send"/> for each scheduled time from a thread of its own, each at (never
    /// before) its time; records how late each started in <paramref name="lateness"/> (µs) and ends
    /// once every send's task has finished. A send runs on the pacing thread until its first await.
    /// </summary>
    public static async Task PaceAsync(long start, long end, double interval, Func<long, int, Task> send, LongHistogram lateness, CancellationToken ct)
    {
        var inFlight = new List<Task>(capacity: 1024);
        var paced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                FineTimerSlack();
                for (long i = 0; !ct.IsCancellationRequested; i++)
                {
                    var due = start + (long)(i * interval);
                    if (due >= end) break;
                    SleepUntil(due);
                    lateness.RecordValue(Math.Max(1, MicrosSince(due))); // only this thread records
                    inFlight.Add(send(due, (int)i));
                    if (inFlight.Count >= 1024) inFlight.RemoveAll(t => t.IsCompleted);
                }
                paced.SetResult();
            }
            catch (Exception ex)
            {
                paced.SetException(ex);
            }
        })
        { IsBackground = true, Name = "loadgen-pacer" };
        thread.Start();
        await paced.Task.ConfigureAwait(false);
        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    /// <summary>Blocks the calling thread until the Stopwatch timestamp <paramref name="due"/> (returns at once when it passed).</summary>
    internal static void SleepUntil(long due)
    {
        if (Precise)
        {
            var deadline = new Timespec { Seconds = due / NanosPerSecond, Nanoseconds = due % NanosPerSecond };
            int rc;
            do rc = ClockNanosleep(ClockMonotonic, TimerAbsolute, in deadline, 0);
            while (rc == 4 /* EINTR */);
            if (rc == 0) return;
        }
        // Elsewhere: whole-millisecond sleeps while more than 1.5 ms remain, then yield until due.
        while (Stopwatch.GetTimestamp() < due)
        {
            if (due - Stopwatch.GetTimestamp() > Stopwatch.Frequency * 3 / 2000) Thread.Sleep(1);
            else Thread.Yield();
        }
    }

    /// <summary>The calling thread's timer slack at 1 ns (Linux; the default 50 µs lets the kernel wake it that much later).</summary>
    private static void FineTimerSlack()
    {
        if (Precise) _ = Prctl(SetTimerSlack, 1, 0, 0, 0);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in Timespec request, nint remaining);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
