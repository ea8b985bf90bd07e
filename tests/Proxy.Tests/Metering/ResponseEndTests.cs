using System.Net.Http.Headers;
using System.Text;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Counters;
using Gateway.Proxy.Tests.Infrastructure;
using Gateway.Proxy.Tests.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Proxy.Tests.Metering;

/// <summary>
/// The client has the whole answer before metering settles: the forwarder ends a relayed response
/// itself (the last chunk, the end of the stream) instead of leaving that to the end of the
/// pipeline, behind the usage record, the settlement and the metrics.
/// </summary>
public sealed class ResponseEndTests : IAsyncLifetime
{
    private readonly HeldSettlements _counters = new(new InProcessCounters(TimeProvider.System));
    private FakeUpstream _upstream = null!;
    private ProxyHost _proxy = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _upstream = await SmartUpstream.StartAsync();
        var snapshot = TestWorld.Snapshot(_upstream.Url, canaryPercent: 0);
        // A token limit on the key, so that every request holds a reservation that metering settles.
        snapshot = snapshot with
        {
            Keys = [.. snapshot.Keys.Select(k => k.KeyId == "testkey00001" ? k with { Limits = new LimitSpec(TokensPerMinute: 1_000_000) } : k)],
        };
        _proxy = await ProxyHost.StartAsync(snapshot, Ledger.FastSettings(),
            builder => builder.Services.AddSingleton<IAdmissionCounters>(_counters));
    }

    public async ValueTask DisposeAsync()
    {
        _counters.Open();
        await _proxy.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheClientReadsTheWholeAnswer_WhileTheSettlementIsStillHeld(bool stream)
    {
        var id = "end-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(
                $$"""{"model":"chat","stream":{{(stream ? "true" : "false")}},"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hello there"}]}""",
                Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("x-request-id", id);

        using var response = await _proxy.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        // No Content-Length: the client knows the answer is whole only when the last chunk arrives.
        Assert.Null(response.Content.Headers.ContentLength);
        var body = await response.Content.ReadAsStringAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Contains(stream ? "data: [DONE]" : "\"usage\"", body, StringComparison.Ordinal);

        // Metering has reached the settlement and is still held there.
        await _counters.Entered.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(1, _counters.Held);

        _counters.Open();
        var record = await Ledger.WaitForAsync(_proxy.DataDirectory, id);
        Assert.False(record.Estimated);
        Assert.True(record.OutputTokens > 0);
    }

    /// <summary>Counters whose settlements wait until the test opens them.</summary>
    private sealed class HeldSettlements(IAdmissionCounters inner) : IAdmissionCounters
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;

        public Task Entered => _entered.Task;

        public int Held => Volatile.Read(ref _held);

        public void Open() => _open.TrySetResult();

        public ValueTask ReserveAsync(CounterReservation reservation, CancellationToken cancellationToken) => inner.ReserveAsync(reservation, cancellationToken);

        public async ValueTask SettleAsync(CounterReservation reservation, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _held);
            _entered.TrySetResult();
            await _open.Task;
            Interlocked.Decrement(ref _held);
            await inner.SettleAsync(reservation, cancellationToken);
        }

        public ValueTask ReleaseAsync(CounterReservation reservation, CancellationToken cancellationToken) => inner.ReleaseAsync(reservation, cancellationToken);

        public ValueTask AdjustAsync(string key, DateTimeOffset windowStart, long delta, CancellationToken cancellationToken) =>
            inner.AdjustAsync(key, windowStart, delta, cancellationToken);
    }
}
