namespace Gateway.Proxy.Counters.Redis;

/// <summary>
/// Fail-open admission while Redis is away: exact <see cref="InProcessCounters"/> on this proxy,
/// each limit cut to this proxy's share — the limit ÷ the live proxies the control plane counted
/// (<c>GatewaySnapshot.LiveProxies</c>), at least 1 — so N proxies together stay within the limit
/// (up to N for a limit smaller than N). A monthly budget's share is of what was left when Redis
/// was last seen: (limit − the counter's last value) ÷ live proxies. Each outage starts a fresh
/// set of local counters; reservations made locally settle locally, and what they used against a
/// monthly budget is handed back (<see cref="Finish"/>) to be added to Redis when it returns.
/// Per-minute usage made locally is not carried over: its windows are gone by then.
/// </summary>
internal sealed class LocalFallback(TimeProvider time, Func<int> liveProxies)
{
    private InProcessCounters _epoch = new(time);

    /// <summary>A new outage: local counting starts from zero.</summary>
    public void StartEpoch() => Volatile.Write(ref _epoch, new InProcessCounters(time));

    public int LiveProxies => Math.Max(1, liveProxies());

    public async ValueTask ReserveAsync(CounterReservation r, DateTimeOffset now, Func<string, DateTimeOffset, long> lastSeen)
    {
        var epoch = Volatile.Read(ref _epoch);
        var n = LiveProxies;
        var checks = new CounterCheck[r.Count];
        for (var i = 0; i < r.Count; i++)
        {
            var check = r.Checks[i];
            var limit = check.Window == CounterWindow.Month
                ? Math.Max(0, check.Limit - lastSeen(check.Key, CounterWindows.Start(CounterWindow.Month, now)))
                : check.Limit;
            checks[i] = check with { Limit = limit <= 0 ? 0 : Math.Max(1, limit / n) };
        }
        var local = new CounterReservation(r.LeaseId, checks, r.Count, r.MinUnits, r.MaxUnits);
        await epoch.ReserveAsync(local, CancellationToken.None);
        r.Admitted = local.Admitted;
        r.Units = local.Units;
        r.DeniedIndex = local.DeniedIndex;
        local.Remaining.CopyTo(r.Remaining, 0);
        local.WindowStarts.CopyTo(r.WindowStarts, 0);
        local.ResetsAt.CopyTo(r.ResetsAt, 0);
        if (r.Admitted) r.State = new LocalReservation(epoch, local);
    }

    /// <summary>
    /// Settles or releases a local reservation on the counters that made it; returns what it used
    /// against monthly counters, to be added to Redis (key, month start, amount).
    /// </summary>
    public List<(string Key, DateTimeOffset Window, long Amount)> Finish(LocalReservation local, CounterReservation r, bool settle, DateTimeOffset now)
    {
        var used = new List<(string, DateTimeOffset, long)>();
        r.Actual.CopyTo(local.Reservation.Actual, 0);
        var task = settle
            ? local.Counters.SettleAsync(local.Reservation, CancellationToken.None)
            : local.Counters.ReleaseAsync(local.Reservation, CancellationToken.None);
        task.GetAwaiter().GetResult(); // in-process: always complete
        if (!settle) return used;
        for (var i = 0; i < r.Count; i++)
        {
            ref readonly var check = ref r.Checks[i];
            if (check.Window != CounterWindow.Month) continue;
            // As in Redis: usage counts in the month it was reserved in; once that month has passed, only the excess counts in the current one.
            var current = CounterWindows.Start(CounterWindow.Month, now);
            var amount = r.WindowStarts[i] == current ? r.Actual[i] : r.Actual[i] - r.Reserved(i);
            if (amount > 0) used.Add((check.Key, current, amount));
        }
        return used;
    }

    /// <summary>Applies a budget baseline correction to the local counters too.</summary>
    public void Adjust(string key, DateTimeOffset windowStart, long delta) =>
        Volatile.Read(ref _epoch).AdjustAsync(key, windowStart, delta, CancellationToken.None).GetAwaiter().GetResult();

    public long Peek(string key, CounterWindow window) => Volatile.Read(ref _epoch).Peek(key, window);
}

/// <summary>A reservation made on the local counters during an outage (kept in <see cref="CounterReservation.State"/>).</summary>
internal sealed record LocalReservation(InProcessCounters Counters, CounterReservation Reservation);
