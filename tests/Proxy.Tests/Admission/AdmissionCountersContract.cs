using Gateway.Proxy.Counters;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Proxy.Tests.Admission;

/// <summary>
/// The behaviour every <see cref="IAdmissionCounters"/> must have, run against each
/// implementation: in-process (<see cref="InProcessCountersTests"/>) and Redis
/// (<c>Redis/RedisCountersContractTests</c>).
/// </summary>
public abstract class AdmissionCountersContract
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 12, 0, 10, TimeSpan.Zero);

    /// <summary>New, empty counters on <paramref name="time"/>.</summary>
    private protected abstract Task<IAdmissionCounters> CreateAsync(TimeProvider time);

    /// <summary>The value of <paramref name="key"/> in its current window (0 when none).</summary>
    private protected abstract Task<long> PeekAsync(IAdmissionCounters counters, string key, CounterWindow window);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CounterReservation Reservation(string lease, long min, long max, params CounterCheck[] checks) =>
        new(lease, checks, checks.Length, min, max);

    private static CounterCheck Rpm(string key, long limit, CounterScope scope = CounterScope.Key) => new(key, CounterKind.Requests, scope, CounterWindow.Minute, limit, 1, 0);

    private static CounterCheck Tpm(string key, long limit, long prompt) => new(key, CounterKind.Tokens, CounterScope.Key, CounterWindow.Minute, limit, prompt, 1);

    private static CounterCheck Concurrent(string key, long limit) => new(key, CounterKind.Concurrency, CounterScope.Key, CounterWindow.None, limit, 1, 0);

    [Fact]
    public async Task TwoHundredConcurrentReservations_AgainstALimitOfFifty_AdmitExactlyFifty()
    {
        var counters = await CreateAsync(new FakeTimeProvider(Start));
        using var gate = new ManualResetEventSlim(false);
        var tasks = new Task<bool>[200];
        for (var i = 0; i < tasks.Length; i++)
        {
            var lease = "r" + i;
            tasks[i] = Task.Factory.StartNew(() =>
            {
                gate.Wait(Ct);
                var r = Reservation(lease, 10, 10, Concurrent("c", 50), Rpm("m", 1000), Tpm("t", 1_000_000, 5));
                counters.ReserveAsync(r, Ct).AsTask().GetAwaiter().GetResult();
                return r.Admitted;
            }, Ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        gate.Set();
        var admitted = 0;
        foreach (var t in tasks) admitted += await t ? 1 : 0;

        Assert.Equal(50, admitted);
        Assert.Equal(50, await PeekAsync(counters, "c", CounterWindow.None));
        Assert.Equal(50, await PeekAsync(counters, "m", CounterWindow.Minute));
        Assert.Equal(50 * 15, await PeekAsync(counters, "t", CounterWindow.Minute));
    }

    [Fact]
    public async Task AReservationIsAllOrNothing_ADeniedCheckLeavesTheOthersUntouched()
    {
        var counters = await CreateAsync(new FakeTimeProvider(Start));
        var first = Reservation("a", 0, 0, Rpm("key", 10), Rpm("team", 1, CounterScope.Team));
        await counters.ReserveAsync(first, Ct);
        var second = Reservation("b", 0, 0, Rpm("key", 10), Rpm("team", 1, CounterScope.Team));
        await counters.ReserveAsync(second, Ct);

        Assert.True(first.Admitted);
        Assert.False(second.Admitted);
        Assert.Equal(1, second.DeniedIndex);
        Assert.Equal(CounterScope.Team, second.Denied.Scope);
        Assert.Equal(1, await PeekAsync(counters, "key", CounterWindow.Minute));
        Assert.Equal([9, 0], second.Remaining);
    }

    [Fact]
    public async Task Settle_ReplacesTheReservedTokensWithTheActualOnes_AndFreesTheSlot()
    {
        var counters = await CreateAsync(new FakeTimeProvider(Start));
        var r = Reservation("a", 100, 100, Tpm("t", 1000, 20), Concurrent("c", 5));
        await counters.ReserveAsync(r, Ct);
        Assert.Equal(120, await PeekAsync(counters, "t", CounterWindow.Minute));
        Assert.Equal(1, await PeekAsync(counters, "c", CounterWindow.None));

        r.Actual[0] = 37;
        await counters.SettleAsync(r, Ct);
        await counters.SettleAsync(r, Ct); // a second settle is ignored

        Assert.Equal(37, await PeekAsync(counters, "t", CounterWindow.Minute));
        Assert.Equal(0, await PeekAsync(counters, "c", CounterWindow.None));
    }

    [Fact]
    public async Task Release_GivesBackTokensAndSlot_ButKeepsTheRequestCount()
    {
        var counters = await CreateAsync(new FakeTimeProvider(Start));
        var r = Reservation("a", 50, 50, Rpm("m", 10), Tpm("t", 1000, 20), Concurrent("c", 5));
        await counters.ReserveAsync(r, Ct);
        await counters.ReleaseAsync(r, Ct);

        Assert.Equal(1, await PeekAsync(counters, "m", CounterWindow.Minute));
        Assert.Equal(0, await PeekAsync(counters, "t", CounterWindow.Minute));
        Assert.Equal(0, await PeekAsync(counters, "c", CounterWindow.None));
    }

    [Fact]
    public async Task Window_RollsOverAtTheMinute_AndResetsAtTheWindowsEnd()
    {
        var time = new FakeTimeProvider(Start);
        var counters = await CreateAsync(time);
        for (var i = 0; i < 3; i++) await counters.ReserveAsync(Reservation("a" + i, 0, 0, Rpm("m", 3)), Ct);
        var denied = Reservation("x", 0, 0, Rpm("m", 3));
        await counters.ReserveAsync(denied, Ct);
        Assert.False(denied.Admitted);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 12, 1, 0, TimeSpan.Zero), denied.ResetsAt[0]);

        time.Advance(TimeSpan.FromSeconds(49)); // 12:00:59: same window
        var stillDenied = Reservation("y", 0, 0, Rpm("m", 3));
        await counters.ReserveAsync(stillDenied, Ct);
        Assert.False(stillDenied.Admitted);

        time.Advance(TimeSpan.FromSeconds(1)); // 12:01:00: a new window
        var admitted = Reservation("z", 0, 0, Rpm("m", 3));
        await counters.ReserveAsync(admitted, Ct);
        Assert.True(admitted.Admitted);
        Assert.Equal(2, admitted.Remaining[0]);
    }

    [Fact]
    public async Task SettleAfterTheWindowPassed_ChargesOnlyTheExcessToTheCurrentWindow()
    {
        var time = new FakeTimeProvider(Start);
        var counters = await CreateAsync(time);
        var under = Reservation("a", 100, 100, Tpm("t", 10_000, 0));
        var over = Reservation("b", 100, 100, Tpm("t", 10_000, 0));
        await counters.ReserveAsync(under, Ct);
        await counters.ReserveAsync(over, Ct);
        time.Advance(TimeSpan.FromMinutes(1));

        under.Actual[0] = 40;
        await counters.SettleAsync(under, Ct);
        over.Actual[0] = 130;
        await counters.SettleAsync(over, Ct);

        Assert.Equal(30, await PeekAsync(counters, "t", CounterWindow.Minute));
    }

    [Fact]
    public async Task FlexibleUnits_AreClampedToWhatIsLeft_AndDeniedBelowTheMinimum()
    {
        var counters = await CreateAsync(new FakeTimeProvider(Start));
        await counters.ReserveAsync(Reservation("a", 0, 0, Tpm("t", 1000, 900)), Ct);

        var clamped = Reservation("b", 1, 500, Tpm("t", 1000, 20));
        await counters.ReserveAsync(clamped, Ct);
        Assert.True(clamped.Admitted);
        Assert.Equal(80, clamped.Units);
        Assert.Equal(0, clamped.Remaining[0]);

        var nothingLeft = Reservation("c", 1, 500, Tpm("t", 1000, 0));
        await counters.ReserveAsync(nothingLeft, Ct);
        Assert.False(nothingLeft.Admitted);
        Assert.Equal(0, nothingLeft.DeniedIndex);
    }

    [Fact]
    public async Task FlexibleUnits_TakeTheTightestCheck_MoneyByItsPricePerUnit()
    {
        var counters = await CreateAsync(new FakeTimeProvider(Start));
        var money = new CounterCheck("money", CounterKind.BudgetMoney, CounterScope.Subscription, CounterWindow.Month, 10_000, 1_000, 30);
        var r = Reservation("a", 1, 1000, Tpm("t", 5000, 10), money);
        await counters.ReserveAsync(r, Ct);

        Assert.True(r.Admitted);
        Assert.Equal(300, r.Units); // (10,000 − 1,000) / 30
        Assert.Equal(10_000, await PeekAsync(counters, "money", CounterWindow.Month));
    }

    [Fact]
    public async Task TheMostOutputTokensARequestIsCountedFor_ComeBackExact_WithAndWithoutAPerUnitCheck()
    {
        var counters = await CreateAsync(new FakeTimeProvider(Start));
        const long Max = Policies.Admission.AdmissionPlanner.MaxCountedOutputTokens;

        // No check limits the units (requests/min only): all of them are granted, as the exact whole number.
        var unbounded = Reservation("big", Max, Max, Rpm("big-m", 10));
        await counters.ReserveAsync(unbounded, Ct);
        Assert.True(unbounded.Admitted);
        Assert.Equal(Max, unbounded.Units);

        // A money check at $600/M output (600,000 nano-units a token) clamps them to what fits, exactly.
        var money = new CounterCheck("big-$", CounterKind.BudgetMoney, CounterScope.Subscription, CounterWindow.Month, 1_000_000_000_000, 7, 600_000);
        var clamped = Reservation("big2", 1, Max, money);
        await counters.ReserveAsync(clamped, Ct);
        Assert.True(clamped.Admitted);
        Assert.Equal((1_000_000_000_000 - 7) / 600_000, clamped.Units);
        Assert.Equal(7 + (600_000 * clamped.Units), await PeekAsync(counters, "big-$", CounterWindow.Month));
    }

    [Fact]
    public async Task Adjust_TouchesOnlyTheNamedWindow_AndNeverGoesBelowZero()
    {
        var time = new FakeTimeProvider(Start);
        var counters = await CreateAsync(time);
        var month = new CounterCheck("b", CounterKind.BudgetTokens, CounterScope.Subscription, CounterWindow.Month, 1_000_000, 500, 0);
        var r = Reservation("a", 0, 0, month);
        await counters.ReserveAsync(r, Ct);

        await counters.AdjustAsync("b", r.WindowStarts[0].AddMonths(-1), -100, Ct);
        Assert.Equal(500, await PeekAsync(counters, "b", CounterWindow.Month));
        await counters.AdjustAsync("b", r.WindowStarts[0], -200, Ct);
        Assert.Equal(300, await PeekAsync(counters, "b", CounterWindow.Month));
        await counters.AdjustAsync("b", r.WindowStarts[0], -1000, Ct);
        Assert.Equal(0, await PeekAsync(counters, "b", CounterWindow.Month));
    }

    [Fact]
    public async Task TwoRequestsWithTheSameLeaseId_HoldTwoSlots_AndEachFreesItsOwn()
    {
        var counters = await CreateAsync(new FakeTimeProvider(Start));
        var first = Reservation("same-id", 0, 0, Concurrent("c", 2));
        var second = Reservation("same-id", 0, 0, Concurrent("c", 2));
        var third = Reservation("same-id", 0, 0, Concurrent("c", 2));
        await counters.ReserveAsync(first, Ct);
        await counters.ReserveAsync(second, Ct);
        await counters.ReserveAsync(third, Ct);

        Assert.True(first.Admitted);
        Assert.True(second.Admitted);
        Assert.False(third.Admitted);
        Assert.Equal(DateTimeOffset.MaxValue, third.ResetsAt[0]);
        await counters.ReleaseAsync(first, Ct);
        await counters.ReleaseAsync(first, Ct); // a second release is ignored
        Assert.Equal(1, await PeekAsync(counters, "c", CounterWindow.None));
    }

    [Fact]
    public async Task ADeniedReservation_ReportsEveryChecksRemaining_AndTheirWindows()
    {
        var time = new FakeTimeProvider(Start);
        var counters = await CreateAsync(time);
        await counters.ReserveAsync(Reservation("a", 10, 10, Rpm("m", 5), Tpm("t", 100, 50)), Ct);
        var denied = Reservation("b", 10, 10, Rpm("m", 5), Tpm("t", 100, 50));
        await counters.ReserveAsync(denied, Ct);

        Assert.False(denied.Admitted);
        Assert.Equal(1, denied.DeniedIndex);
        Assert.Equal(0, denied.Units);
        Assert.Equal([4, 40], denied.Remaining);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero), denied.WindowStarts[0]);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 12, 1, 0, TimeSpan.Zero), denied.ResetsAt[1]);
        Assert.Equal(1, await PeekAsync(counters, "m", CounterWindow.Minute));
    }
}
