using Gateway.Proxy.Counters;

namespace Gateway.Proxy.Tests.Admission;

public sealed class InProcessCountersTests : AdmissionCountersContract
{
    private protected override Task<IAdmissionCounters> CreateAsync(TimeProvider time) => Task.FromResult<IAdmissionCounters>(new InProcessCounters(time));

    private protected override Task<long> PeekAsync(IAdmissionCounters counters, string key, CounterWindow window) =>
        Task.FromResult(((InProcessCounters)counters).Peek(key, window));
}
