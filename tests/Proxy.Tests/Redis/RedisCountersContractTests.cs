using Gateway.Proxy.Counters;
using Gateway.Proxy.Counters.Redis;
using Gateway.Proxy.Tests.Admission;

namespace Gateway.Proxy.Tests.Redis;

/// <summary>The counters' behavioural contract, against a real redis-server.</summary>
public sealed class RedisCountersContractTests(RedisServerFixture redis) : AdmissionCountersContract, IClassFixture<RedisServerFixture>, IDisposable
{
    private readonly RedisCountersFactory _factory = new();

    private protected override async Task<IAdmissionCounters> CreateAsync(TimeProvider time)
    {
        var server = redis.Require();
        var counters = await _factory.CreateAsync(RedisCountersFactory.Options(server.Configuration, "t" + Guid.NewGuid().ToString("N")[..10] + ":"), time);
        Assert.True(counters.IsAvailable, "The counters did not connect to the test's redis-server.");
        return counters;
    }

    private protected override Task<long> PeekAsync(IAdmissionCounters counters, string key, CounterWindow window) =>
        ((RedisAdmissionCounters)counters).PeekAsync(key, window);

    public void Dispose() => _factory.Dispose();
}
