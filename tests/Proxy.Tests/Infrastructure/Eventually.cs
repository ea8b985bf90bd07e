namespace Gateway.Proxy.Tests.Infrastructure;

/// <summary>
/// Waits for something the proxy does after the client already has its answer (a span ends when
/// the entry middleware returns, which can be after the last byte reached the client; a Redis
/// outage is noticed by the next probe).
/// </summary>
internal static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, string failure, int seconds = 20) =>
        TrueAsync(() => Task.FromResult(condition()), failure, seconds);

    public static async Task TrueAsync(Func<Task<bool>> condition, string failure, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail(failure);
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }
}
