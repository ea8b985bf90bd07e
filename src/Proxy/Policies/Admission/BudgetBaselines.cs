using System.Collections.Concurrent;
using Gateway.Contracts.Usage;
using Gateway.Proxy.Counters;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Usage;

namespace Gateway.Proxy.Policies.Admission;

/// <summary>
/// Keeps monthly budgets from counting usage twice. A budget's limit is the monthly figure less
/// the snapshot's settled usage (<c>SubscriptionSpec.Usage</c>, as of the snapshot's
/// <c>IssuedAt</c>); the budget counter holds what this proxy reserved and settled on top. When a
/// newer snapshot brings a changed settled figure, it already includes every record this proxy
/// had shipped (acknowledged by the ledger) before that snapshot was issued, so those amounts
/// leave the counter. Records not yet acknowledged stay counted here. Acknowledged amounts are
/// kept per subscription in one bucket per minute of acknowledgement; a bucket is dropped only
/// when all of it is older than the snapshot, so the count errs towards too much, never too little.
/// </summary>
internal sealed class BudgetBaselines(SnapshotStore store, IAdmissionCounters counters, AdmissionLog log) : IHostedService, IUsageAcknowledgementObserver
{
    // By the record's identity, not its request id: a caller may send one x-request-id with two requests.
    private readonly ConcurrentDictionary<UsageRecordIdentity, Pending> _pending = new(ArrivalHash.Instance);
    private readonly Dictionary<string, List<Bucket>> _acknowledged = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PeriodBaseline> _baselines = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.Applied += OnApplied;
        if (store.Current is { } current) OnApplied(current);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        store.Applied -= OnApplied;
        return Task.CompletedTask;
    }

    /// <summary>Metering settled a budgeted request: its amounts wait for the ledger's acknowledgement.</summary>
    public void Settled(UsageRecord record, string subscriptionId, CounterReservation reservation)
    {
        long tokens = 0, money = 0;
        var budgeted = false;
        var window = DateTimeOffset.MinValue;
        for (var i = 0; i < reservation.Count; i++)
        {
            ref readonly var check = ref reservation.Checks[i];
            if (check.Kind == CounterKind.BudgetTokens) tokens = reservation.Actual[i];
            else if (check.Kind == CounterKind.BudgetMoney) money = reservation.Actual[i];
            else continue;
            budgeted = true;
            window = reservation.WindowStarts[i];
        }
        if (budgeted) _pending[UsageRecordIdentity.Of(record)] = new Pending(subscriptionId, window, tokens, money);
    }

    public void Acknowledged(IReadOnlyList<UsageRecord> records, DateTimeOffset at)
    {
        lock (_lock)
        {
            foreach (var record in records)
            {
                if (!_pending.TryRemove(UsageRecordIdentity.Of(record), out var pending)) continue;
                if (!_acknowledged.TryGetValue(pending.Subscription, out var buckets))
                {
                    buckets = [];
                    _acknowledged[pending.Subscription] = buckets;
                }
                var minute = CounterWindows.Start(CounterWindow.Minute, at);
                if (buckets.Count > 0 && buckets[^1].Minute == minute && buckets[^1].Window == pending.Window)
                {
                    var last = buckets[^1];
                    buckets[^1] = last with { At = at, Tokens = last.Tokens + pending.Tokens, Money = last.Money + pending.Money };
                }
                else
                {
                    buckets.Add(new Bucket(minute, at, pending.Window, pending.Tokens, pending.Money));
                }
            }
        }
    }

    private void OnApplied(CompiledSnapshot snapshot)
    {
        var asOf = snapshot.Spec.IssuedAt;
        foreach (var subscription in snapshot.Spec.Subscriptions)
        {
            if (subscription.Budget is null) continue;
            var usage = subscription.Usage;
            var baseline = new PeriodBaseline(usage?.Period, usage?.Tokens ?? 0, usage?.Amount ?? 0m);
            List<Bucket>? dropped = null;
            lock (_lock)
            {
                var known = _baselines.TryGetValue(subscription.Id, out var previous);
                _baselines[subscription.Id] = baseline;
                if (!known || previous == baseline || usage is null) continue;
                if (!_acknowledged.TryGetValue(subscription.Id, out var buckets)) continue;
                var keep = 0;
                while (keep < buckets.Count && buckets[keep].At <= asOf) keep++;
                if (keep == 0) continue;
                dropped = buckets.GetRange(0, keep);
                buckets.RemoveRange(0, keep);
            }
            Drop(subscription.Id, baseline, dropped);
        }
    }

    private void Drop(string subscriptionId, PeriodBaseline baseline, List<Bucket> dropped)
    {
        var keys = CounterKeys.For(CounterScope.Subscription, subscriptionId);
        long localTokens = 0;
        foreach (var bucket in dropped)
        {
            localTokens += bucket.Tokens;
            // In-process counters answer synchronously; a remote implementation is awaited in the background.
            _ = counters.AdjustAsync(keys.BudgetTokens, bucket.Window, -bucket.Tokens, CancellationToken.None).AsTask();
            _ = counters.AdjustAsync(keys.BudgetMoney, bucket.Window, -bucket.Money, CancellationToken.None).AsTask();
        }
        log.BaselineAdvanced(subscriptionId, baseline.Tokens, localTokens);
    }

    /// <summary>Amounts held for subscriptions (tests and diagnostics): pending acknowledgement, and acknowledged but not yet in a baseline.</summary>
    internal (int Pending, long AcknowledgedTokens) Held(string subscriptionId)
    {
        lock (_lock)
        {
            long tokens = 0;
            if (_acknowledged.TryGetValue(subscriptionId, out var buckets))
            {
                foreach (var b in buckets) tokens += b.Tokens;
            }
            return (_pending.Count, tokens);
        }
    }

    /// <summary>
    /// Hashes an identity by its arrival alone: this proxy gives every request a later arrival than
    /// the one before (to the microsecond), so among its own records the arrival is as good as the
    /// whole identity, and hashing it skips three strings per record, twice (settled, acknowledged).
    /// Equality is still the whole identity.
    /// </summary>
    private sealed class ArrivalHash : IEqualityComparer<UsageRecordIdentity>
    {
        public static readonly ArrivalHash Instance = new();

        public bool Equals(UsageRecordIdentity x, UsageRecordIdentity y) => x.Equals(y);

        public int GetHashCode(UsageRecordIdentity obj) => obj.ArrivalMicroseconds.GetHashCode();
    }

    private readonly record struct Pending(string Subscription, DateTimeOffset Window, long Tokens, long Money);

    private readonly record struct Bucket(DateTimeOffset Minute, DateTimeOffset At, DateTimeOffset Window, long Tokens, long Money);

    private readonly record struct PeriodBaseline(string? Period, long Tokens, decimal Amount);
}
