namespace Gateway.Proxy.Counters;

/// <summary>
/// Exact counters for one node: every operation runs under one lock, so a reservation across
/// several counters is atomic and 200 concurrent requests against a limit of 50 admit exactly
/// 50. The critical section is a few dictionary lookups and additions (no allocation once a
/// counter exists). Window counters hold the current window only: a reservation in a newer
/// window starts it from zero.
/// </summary>
internal sealed class InProcessCounters(TimeProvider time) : IAdmissionCounters
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private int _outstanding;

    /// <summary>Admitted reservations not yet settled or released (diagnostics; tests wait for it).</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    public ValueTask ReserveAsync(CounterReservation reservation, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock) Reserve(reservation, now);
        return ValueTask.CompletedTask;
    }

    public ValueTask SettleAsync(CounterReservation reservation, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock) Finish(reservation, now, settle: true);
        return ValueTask.CompletedTask;
    }

    public ValueTask ReleaseAsync(CounterReservation reservation, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock) Finish(reservation, now, settle: false);
        return ValueTask.CompletedTask;
    }

    public ValueTask AdjustAsync(string key, DateTimeOffset windowStart, long delta, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_counters.TryGetValue(key, out var counter) && counter.WindowStart == windowStart)
                counter.Value = Math.Max(0, counter.Value + delta);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The value of <paramref name="key"/> in its current window (0 when none), for tests and diagnostics.</summary>
    public long Peek(string key, CounterWindow window)
    {
        var start = CounterWindows.Start(window, time.GetUtcNow());
        lock (_lock)
        {
            return _counters.TryGetValue(key, out var counter) && counter.WindowStart == start ? counter.Value : 0;
        }
    }

    private void Reserve(CounterReservation r, DateTimeOffset now)
    {
        var checks = r.Checks;
        var units = r.MaxUnits;
        var limiting = -1;
        var denied = -1;
        for (var i = 0; i < r.Count; i++)
        {
            ref readonly var check = ref checks[i];
            var counter = Current(check, now);
            var available = check.Limit - counter.Value - check.Fixed;
            if (available < 0)
            {
                denied = i;
                break;
            }
            if (check.PerUnit > 0 && available / check.PerUnit < units)
            {
                units = available / check.PerUnit;
                limiting = i;
            }
        }
        if (denied < 0 && units < r.MinUnits) denied = limiting;

        r.Admitted = denied < 0;
        if (r.Admitted) _outstanding++;
        r.DeniedIndex = denied;
        r.Units = r.Admitted ? units : 0;
        for (var i = 0; i < r.Count; i++)
        {
            ref readonly var check = ref checks[i];
            var counter = Current(check, now);
            if (r.Admitted) counter.Value += check.AmountFor(units);
            r.Remaining[i] = Math.Max(0, check.Limit - counter.Value);
            r.WindowStarts[i] = counter.WindowStart;
            r.ResetsAt[i] = CounterWindows.End(check.Window, counter.WindowStart);
        }
    }

    private void Finish(CounterReservation r, DateTimeOffset now, bool settle)
    {
        if (!r.Admitted || r.Finished) return;
        r.Finished = true;
        _outstanding--;
        for (var i = 0; i < r.Count; i++)
        {
            ref readonly var check = ref r.Checks[i];
            if (check.Kind == CounterKind.Requests) continue;
            if (!_counters.TryGetValue(check.Key, out var counter)) continue;
            if (check.Kind == CounterKind.Concurrency)
            {
                counter.Value = Math.Max(0, counter.Value - 1);
                continue;
            }
            var delta = (settle ? r.Actual[i] : 0) - r.Reserved(i);
            if (counter.WindowStart == r.WindowStarts[i] && r.WindowStarts[i] == CounterWindows.Start(check.Window, now))
            {
                counter.Value = Math.Max(0, counter.Value + delta);
            }
            else if (delta > 0)
            {
                // The reservation's window has passed: usage beyond it counts in the current window.
                Current(check, now).Value += delta;
            }
        }
    }

    /// <summary>The counter for <paramref name="check"/>, rolled to the window of <paramref name="now"/>.</summary>
    private Counter Current(in CounterCheck check, DateTimeOffset now)
    {
        var start = CounterWindows.Start(check.Window, now);
        if (!_counters.TryGetValue(check.Key, out var counter))
        {
            counter = new Counter { WindowStart = start };
            _counters.Add(check.Key, counter);
        }
        else if (counter.WindowStart < start)
        {
            counter.WindowStart = start;
            counter.Value = 0;
        }
        return counter;
    }

    private sealed class Counter
    {
        public long Value;
        public DateTimeOffset WindowStart;
    }
}
