using System.Diagnostics;

namespace Gateway.Bench.LoadGen;

/// <summary>Waits until a Stopwatch timestamp without burning the core the target may share.</summary>
internal static class Clock
{
    private static readonly long OneAndHalfMs = Stopwatch.Frequency * 3 / 2000;

    public static async ValueTask WaitUntilAsync(long due, CancellationToken ct)
    {
        while (true)
        {
            var remaining = due - Stopwatch.GetTimestamp();
            if (remaining <= 0) return;
            if (remaining > OneAndHalfMs) await Task.Delay(1, ct).ConfigureAwait(false);
            else Thread.Yield();
        }
    }

    public static long MicrosSince(long start) =>
        (Stopwatch.GetTimestamp() - start) * 1_000_000 / Stopwatch.Frequency;

    public static long Seconds(double s) => (long)(s * Stopwatch.Frequency);
}
