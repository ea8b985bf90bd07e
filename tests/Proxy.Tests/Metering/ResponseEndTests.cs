using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Counters;
using Gateway.Proxy.Tests.Infrastructure;
using Gateway.Proxy.Tests.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Proxy.Tests.Metering;

/// <summary>
/// The order of a request's end: metering settles the reservation (frees the concurrency slot),
/// then ends the response the forwarder relayed whole (the last chunk, the end of the stream), and
/// only then writes the usage record and the metrics, instead of leaving the end to the pipeline's
/// return behind all of them.
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
        // Limits on the key, so that every request holds a slot and a reservation that metering settles.
        snapshot = snapshot with
        {
            Keys = [.. snapshot.Keys.Select(k => k.KeyId == "testkey00001" ? k with { Limits = new LimitSpec(TokensPerMinute: 1_000_000, MaxConcurrent: 1) } : k)],
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

    private static HttpRequestMessage Chat(string id, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(
                $$"""{"model":"chat","stream":{{(stream ? "true" : "false")}},"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hello there"}]}""",
                Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("x-request-id", id);
        return request;
    }

    private static async Task<HttpResponseMessage> StartAsync(HttpClient client, string id, bool stream)
    {
        using var request = Chat(id, stream);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        // No Content-Length: the client knows the answer is whole only when its end arrives.
        Assert.Null(response.Content.Headers.ContentLength);
        return response;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheClientReadsTheWholeAnswer_WhileTheUsageRecordIsStillBeingMetered(bool stream)
    {
        var id = "end-" + Guid.NewGuid().ToString("N");
        using var metering = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var factory = _proxy.App.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == "gateway.proxy.usage.records") l.EnableMeasurementEvents(instrument);
            },
        };
        // Metering counts the record after the end: hold it there (on the request's own thread).
        listener.SetMeasurementEventCallback<long>((_, _, _, _) =>
        {
            entered.Set();
            metering.Wait(TimeSpan.FromSeconds(30));
        });
        listener.Start();

        using var response = await StartAsync(_proxy.Client, id, stream);
        var body = await response.Content.ReadAsStringAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Contains(stream ? "data: [DONE]" : "\"usage\"", body, StringComparison.Ordinal);
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10), Ct), "metering never reached the record's metrics");

        metering.Set();
        var record = await Ledger.WaitForAsync(_proxy.DataDirectory, id);
        Assert.False(record.Estimated);
        Assert.True(record.OutputTokens > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheAnswerEnds_OnlyOnceItsSlotIsFree_SoTheCallersNextRequestIsAdmitted(bool stream)
    {
        _counters.Hold();
        var id = "slot-" + Guid.NewGuid().ToString("N");
        using (var response = await StartAsync(_proxy.Client, id, stream))
        {
            var read = response.Content.ReadAsStringAsync(Ct);
            await _counters.Entered.WaitAsync(TimeSpan.FromSeconds(10), Ct);
            await Task.Delay(300, Ct);
            Assert.False(read.IsCompleted, "the answer ended while its concurrency slot was still held");
            _counters.Open();
            await read.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        }

        // MaxConcurrent 1: the next request, on a connection of its own, finds the slot free.
        using var other = _proxy.CreateClient(TestWorld.Key);
        using var next = await StartAsync(other, id + "-next", stream);
        await next.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>Counters whose settlements wait while the test holds them.</summary>
    private sealed class HeldSettlements(IAdmissionCounters inner) : IAdmissionCounters
    {
        private volatile TaskCompletionSource _open = Opened();
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Hold() => _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _open.TrySetResult();

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }

        public ValueTask ReserveAsync(CounterReservation reservation, CancellationToken cancellationToken) => inner.ReserveAsync(reservation, cancellationToken);

        public async ValueTask SettleAsync(CounterReservation reservation, CancellationToken cancellationToken)
        {
            var open = _open.Task;
            if (!open.IsCompleted) _entered.TrySetResult();
            await open;
            await inner.SettleAsync(reservation, cancellationToken);
        }

        public ValueTask ReleaseAsync(CounterReservation reservation, CancellationToken cancellationToken) => inner.ReleaseAsync(reservation, cancellationToken);

        public ValueTask AdjustAsync(string key, DateTimeOffset windowStart, long delta, CancellationToken cancellationToken) =>
            inner.AdjustAsync(key, windowStart, delta, cancellationToken);
    }
}
