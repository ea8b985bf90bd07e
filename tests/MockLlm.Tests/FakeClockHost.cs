using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.MockLlm.Tests;

/// <summary>A MockLlm whose delays run on a <see cref="FakeTimeProvider"/>: time passes only when a test says so.</summary>
public sealed class FakeClockHost : MockLlmHost
{
    public FakeTimeProvider Clock { get; } = new();

    internal override void Configure(WebApplicationBuilder builder) => builder.Services.AddSingleton<TimeProvider>(Clock);

    /// <summary>Advances the clock a second at a time until <paramref name="task"/> completes; returns the time advanced.</summary>
    public async Task<TimeSpan> AdvanceUntilAsync(Task task)
    {
        var advanced = TimeSpan.Zero;
        for (var i = 0; i < 500 && !task.IsCompleted; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            advanced += TimeSpan.FromSeconds(1);
            await Task.WhenAny(task, Task.Delay(20, TestContext.Current.CancellationToken));
        }
        Assert.True(task.IsCompleted, "the request never completed as the clock advanced");
        return advanced;
    }
}
