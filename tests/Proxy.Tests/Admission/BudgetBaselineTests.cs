using System.Net;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Counters;
using Gateway.Proxy.Policies.Admission;
using Gateway.Proxy.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Proxy.Tests.Admission;

/// <summary>A newer snapshot's settled budget figure replaces what this proxy counted, without counting it twice.</summary>
public sealed class BudgetBaselineTests : IAsyncLifetime
{
    private const string BudgetKey = "sub:" + AdmissionWorld.SubscriptionId + ":budget-tokens";
    private FakeUpstream _upstream = null!;

    public async ValueTask InitializeAsync() => _upstream = await AdmissionWorld.StartUpstreamAsync();

    public async ValueTask DisposeAsync() => await _upstream.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> FastSegments = new() { ["Proxy:Usage:SegmentMaxAgeMs"] = "10" };

    private GatewaySnapshot Snapshot(long settled, DateTimeOffset issuedAt, long revision) =>
        AdmissionWorld.Snapshot(_upstream.Url, budget: new BudgetSpec(MonthlyTokens: 1_000), usage: new PeriodUsageSpec("2026-03", settled, 0m), issuedAt: issuedAt, revision: revision);

    /// <summary>Sends calls (18 tokens settled each) and ships them to the ledger; returns when acknowledged.</summary>
    private static async Task CallAndShipAsync(ProxyHost proxy, FakeTimeProvider time, long acknowledgedBefore, int calls = 1, string? requestId = null)
    {
        for (var call = 0; call < calls; call++)
        {
            var response = await Send.PostAsync(proxy, "/v1/chat/completions", AdmissionWorld.ChatBody, requestId: requestId, key: AdmissionWorld.KeyA);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await proxy.SettledAsync();
        var baselines = proxy.App.Services.GetRequiredService<BudgetBaselines>();
        for (var i = 0; baselines.Held(AdmissionWorld.SubscriptionId).AcknowledgedTokens < acknowledgedBefore + (18 * calls); i++)
        {
            Assert.True(i < 500, "the record was not acknowledged");
            time.Advance(TimeSpan.FromMilliseconds(100));
            await proxy.Shipper().ShipAvailableAsync(Ct);
            await Task.Delay(10, Ct);
        }
    }

    [Fact]
    public async Task ANewSettledFigure_TakesOutWhatThisProxyHadShippedBeforeTheSnapshot()
    {
        var (proxy, time) = await AdmissionWorld.StartProxyAsync(Snapshot(0, AdmissionWorld.Now.AddHours(-1), 1), FastSegments);
        await using var host = proxy;

        await CallAndShipAsync(proxy, time, 0);
        Assert.Equal(18, proxy.Counters().Peek(BudgetKey, CounterWindow.Month));

        // The control plane now reports the 18 tokens as settled, as of after the acknowledgement.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(proxy.Store.TryApply(Snapshot(18, time.GetUtcNow(), 2), "test", out _));
        Assert.Equal(0, proxy.Counters().Peek(BudgetKey, CounterWindow.Month));

        // A figure issued before this proxy's next shipment does not include it: it stays counted here.
        var before = time.GetUtcNow();
        await CallAndShipAsync(proxy, time, 0);
        Assert.True(proxy.Store.TryApply(Snapshot(30, before, 3), "test", out _));
        Assert.Equal(18, proxy.Counters().Peek(BudgetKey, CounterWindow.Month));
    }

    [Fact]
    public async Task TwoRequestsWithOneRequestId_BothLeaveTheCount_OnceSettled()
    {
        var (proxy, time) = await AdmissionWorld.StartProxyAsync(Snapshot(0, AdmissionWorld.Now.AddHours(-1), 1), FastSegments);
        await using var host = proxy;

        await CallAndShipAsync(proxy, time, 0, calls: 2, requestId: "caller-reused-id");
        Assert.Equal(36, proxy.Counters().Peek(BudgetKey, CounterWindow.Month));
        Assert.Equal(36, proxy.App.Services.GetRequiredService<BudgetBaselines>().Held(AdmissionWorld.SubscriptionId).AcknowledgedTokens);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(proxy.Store.TryApply(Snapshot(36, time.GetUtcNow(), 2), "test", out _));
        Assert.Equal(0, proxy.Counters().Peek(BudgetKey, CounterWindow.Month));
    }

    [Fact]
    public async Task AnUnchangedSettledFigure_LeavesTheLocalCountAlone()
    {
        var (proxy, time) = await AdmissionWorld.StartProxyAsync(Snapshot(100, AdmissionWorld.Now.AddHours(-1), 1), FastSegments);
        await using var host = proxy;

        await CallAndShipAsync(proxy, time, 0);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(proxy.Store.TryApply(Snapshot(100, time.GetUtcNow(), 2), "test", out _));

        Assert.Equal(18, proxy.Counters().Peek(BudgetKey, CounterWindow.Month));
    }
}
