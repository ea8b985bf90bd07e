using System.Threading.Channels;
using Gateway.Proxy.Hosting;

namespace Gateway.Proxy.Tests;

public sealed class DedicatedThreadTests
{
    [Fact]
    public async Task Run_KeepsTheLoopAndEveryContinuationOnItsOwnThread_AndEndsTheThreadWithTheLoop()
    {
        var channel = Channel.CreateUnbounded<int>();
        var gate = new SemaphoreSlim(0, 1);
        var seen = new List<Thread>();
        var onPool = false;
        var loop = DedicatedThread.Run("test-loop", async () =>
        {
            seen.Add(Thread.CurrentThread);
            onPool |= Thread.CurrentThread.IsThreadPoolThread;
            await Task.Yield();
            seen.Add(Thread.CurrentThread);
            await Task.Delay(10);
            seen.Add(Thread.CurrentThread);
            await gate.WaitAsync();
            seen.Add(Thread.CurrentThread);
            while (await channel.Reader.WaitToReadAsync())
            {
                channel.Reader.TryRead(out _);
                seen.Add(Thread.CurrentThread);
                onPool |= Thread.CurrentThread.IsThreadPoolThread;
            }
        });

        await Task.Delay(50, TestContext.Current.CancellationToken);
        gate.Release();
        for (var i = 0; i < 3; i++)
        {
            await channel.Writer.WriteAsync(i, TestContext.Current.CancellationToken);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        channel.Writer.Complete();
        await loop.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(seen.Count >= 5);
        var thread = seen[0];
        Assert.Equal("test-loop", thread.Name);
        Assert.False(onPool);
        Assert.All(seen, t => Assert.Same(thread, t));
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)), "the loop's thread did not end with the loop");
    }

    [Fact]
    public async Task Run_AFaultedLoop_FaultsItsTask()
    {
        var loop = DedicatedThread.Run("test-fault", async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("boom");
        });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal("boom", ex.Message);
    }
}
