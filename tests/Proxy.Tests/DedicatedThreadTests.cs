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

    [Fact]
    public async Task Run_WokenByManyProducers_RunsEveryContinuationOnItsThread()
    {
        const int Producers = 4, PerProducer = 5_000;
        var channel = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true });
        Thread? loopThread = null;
        var offThread = 0;
        long sum = 0;
        var loop = DedicatedThread.Run("test-wakes", async () =>
        {
            loopThread = Thread.CurrentThread;
            while (await channel.Reader.WaitToReadAsync())
            {
                if (Thread.CurrentThread != loopThread) offThread++;
                while (channel.Reader.TryRead(out var item)) sum += item;
            }
        });

        var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            for (var i = 1; i <= PerProducer; i++)
            {
                channel.Writer.TryWrite(i);
                if (i % 64 == 0) await Task.Yield(); // let the loop sleep and be woken again
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        await Task.WhenAll(producers);
        channel.Writer.Complete();
        await loop.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(Producers * (long)PerProducer * (PerProducer + 1) / 2, sum);
        Assert.Equal(0, offThread);
        Assert.True(loopThread!.Join(TimeSpan.FromSeconds(10)), "the loop's thread did not end with the loop");
    }

    [Fact]
    public async Task Run_ATaskQueuedAfterTheLoopEnded_RunsOnThePool()
    {
        TaskScheduler? scheduler = null;
        Thread? loopThread = null;
        var loop = DedicatedThread.Run("test-late", () =>
        {
            scheduler = TaskScheduler.Current;
            loopThread = Thread.CurrentThread;
            return Task.CompletedTask;
        });
        await loop.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(loopThread!.Join(TimeSpan.FromSeconds(10)), "the loop's thread did not end with the loop");

        var late = await Task.Factory.StartNew(() => Thread.CurrentThread, TestContext.Current.CancellationToken, TaskCreationOptions.None, scheduler!)
            .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(late.IsThreadPoolThread);
    }
}
