using System.Diagnostics;

namespace Gateway.Testing;

/// <summary>
/// Polls a condition (every 20 ms) until it holds or the time is up, for what a server does after
/// the client already has its answer (a span ending, a record shipped, an outage noticed). Linked
/// into each test project.
/// </summary>
internal static class Eventually
{
    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await condition()) return watch.Elapsed;
            if (watch.Elapsed > timeout) Assert.Fail($"Not within {timeout.TotalSeconds} s: {what}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public static Task<TimeSpan> HoldsAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        HoldsAsync(() => Task.FromResult(condition()), timeout, what);
}
