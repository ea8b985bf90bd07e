using Gateway.Proxy.ControlPlane;

namespace Gateway.Proxy.Tests.Grpc;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    private static double[] Delays(ReconnectBackoff backoff, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => backoff.Next().TotalSeconds)];

    [Fact]
    public void Delays_DoubleFromTheMinimum_UpToTheMaximum()
    {
        var backoff = new ReconnectBackoff(Min, Max, random: () => 1);

        Assert.Equal([0.5, 1, 2, 4, 8, 16, 30, 30, 30], Delays(backoff, 9));
        Assert.Equal(9, backoff.Failures);
    }

    [Fact]
    public void Jitter_TakesUpToHalfOff_ButNeverGoesBelowTheMinimum()
    {
        var backoff = new ReconnectBackoff(Min, Max, random: () => 0);

        Assert.Equal([0.5, 0.5, 1, 2, 4, 8, 15, 15], Delays(backoff, 8));
    }

    [Fact]
    public void Jitter_SpreadsDelaysWithinHalfToFullCeiling()
    {
        var values = new Queue<double>([0.25, 0.75, 0.5, 0.1, 0.9, 0.33, 0.66]);
        var backoff = new ReconnectBackoff(Min, Max, random: values.Dequeue);

        for (var failures = 0; failures < 7; failures++)
        {
            var ceiling = backoff.Ceiling(failures).TotalSeconds;
            var delay = backoff.Next().TotalSeconds;
            Assert.InRange(delay, Math.Max(Min.TotalSeconds, ceiling / 2), ceiling);
        }
        Assert.Equal(8 * (0.5 + 0.5 * 0.9), Delays(new ReconnectBackoff(Min, Max, () => 0.9), 5)[4], 6);
    }

    [Fact]
    public void Reset_StartsAgainFromTheMinimum()
    {
        var backoff = new ReconnectBackoff(Min, Max, random: () => 1);
        Delays(backoff, 6);

        backoff.Reset();

        Assert.Equal(0, backoff.Failures);
        Assert.Equal(0.5, backoff.Next().TotalSeconds);
    }

    [Fact]
    public void ManyFailures_DoNotOverflow()
    {
        var backoff = new ReconnectBackoff(Min, Max, random: () => 1);

        var delays = Delays(backoff, 1000);

        Assert.All(delays[10..], d => Assert.Equal(30, d));
    }
}
