using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Gateway.Proxy.Counters.Redis;

internal sealed partial class RedisAdmissionCounters
{
    private readonly ConcurrentQueue<PendingOperation> _pending = new();
    private int _pendingCount;

    /// <summary>Settlements and adjustments waiting for Redis to return (diagnostics, metrics).</summary>
    public int PendingOperations => Volatile.Read(ref _pendingCount);

    public ValueTask SettleAsync(CounterReservation reservation, CancellationToken cancellationToken) => FinishAsync(reservation, settle: true);

    public ValueTask ReleaseAsync(CounterReservation reservation, CancellationToken cancellationToken) => FinishAsync(reservation, settle: false);

    public ValueTask AdjustAsync(string key, DateTimeOffset windowStart, long delta, CancellationToken cancellationToken)
    {
        if (delta == 0) return ValueTask.CompletedTask;
        _fallback.Adjust(key, windowStart, delta);
        return ApplyAsync([new PendingOperation(PendingOperation.AddIfExists, WindowKey(key, windowStart), delta, 0, null)], 1);
    }

    private ValueTask FinishAsync(CounterReservation r, bool settle)
    {
        if (!r.Admitted || r.Finished) return ValueTask.CompletedTask;
        r.Finished = true;
        var now = _time.GetUtcNow();
        if (r.State is LocalReservation local)
        {
            var reconcile = _fallback.Finish(local, r, settle, now);
            for (var i = 0; i < reconcile.Count; i++)
            {
                var (key, window, amount) = reconcile[i];
                Enqueue(new PendingOperation(PendingOperation.AddOrCreate, WindowKey(key, window), amount, TtlMs(CounterWindow.Month, window, now), null));
            }
            return ValueTask.CompletedTask;
        }

        var member = r.State as string;
        if (member is not null) _leases.TryRemove(r, out _);
        var ops = new PendingOperation[r.Count];
        var n = 0;
        for (var i = 0; i < r.Count; i++)
        {
            ref readonly var check = ref r.Checks[i];
            if (check.Kind == CounterKind.Requests) continue;
            if (check.Window == CounterWindow.None)
            {
                if (member is not null) ops[n++] = new PendingOperation(PendingOperation.RemoveLease, _prefix + check.Key, 0, 0, member);
                continue;
            }
            var delta = (settle ? r.Actual[i] : 0) - r.Reserved(i);
            var current = CounterWindows.Start(check.Window, now);
            if (r.WindowStarts[i] == current)
            {
                if (delta != 0) ops[n++] = new PendingOperation(PendingOperation.AddIfExists, WindowKey(check.Key, current), delta, 0, null);
            }
            else if (delta > 0)
            {
                // The reservation's window has passed: usage beyond it counts in the current window.
                ops[n++] = new PendingOperation(PendingOperation.AddOrCreate, WindowKey(check.Key, current), delta, TtlMs(check.Window, current, now), null);
            }
        }
        return n == 0 ? ValueTask.CompletedTask : ApplyAsync(ops, n);
    }

    /// <summary>Runs <paramref name="ops"/> in one call; while Redis is away they wait in the queue. Never throws.</summary>
    private async ValueTask ApplyAsync(PendingOperation[] ops, int count)
    {
        if (IsAvailable)
        {
            try
            {
                await ExecuteAsync(ops, count);
                return;
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                MarkUnavailable(ex.GetType().Name + ": " + ex.Message);
                if (!NeverSent(ex))
                {
                    // It may have run: replaying could count it twice. Reserved amounts stay until their window ends.
                    _metrics.Unconfirmed(count);
                    LogUnconfirmed(count, ex.GetType().Name);
                    return;
                }
            }
        }
        for (var i = 0; i < count; i++) Enqueue(ops[i]);
    }

    private Task ExecuteAsync(PendingOperation[] ops, int count)
    {
        var keys = new RedisKey[count];
        var args = new RedisValue[count * RedisScripts.ApplyStride];
        for (var i = 0; i < count; i++)
        {
            ref readonly var op = ref ops[i];
            keys[i] = op.Key;
            var a = i * RedisScripts.ApplyStride;
            args[a] = op.Op;
            args[a + 1] = op.Amount;
            args[a + 2] = op.TtlMs;
            args[a + 3] = op.Member ?? string.Empty;
        }
        return _connection.Database.ScriptEvaluateAsync(RedisScripts.Apply, keys, args);
    }

    private void Enqueue(in PendingOperation op)
    {
        if (Interlocked.Increment(ref _pendingCount) > _options.MaxPendingOperations)
        {
            Interlocked.Decrement(ref _pendingCount);
            _metrics.Dropped(1);
            return;
        }
        _pending.Enqueue(op);
    }

    /// <summary>Replays the queue in batches; false (the rest stays queued) when Redis fails again.</summary>
    private async Task<bool> FlushPendingAsync()
    {
        const int Batch = 256;
        var batch = new PendingOperation[Batch];
        var replayed = 0;
        var ok = true;
        while (ok)
        {
            var n = 0;
            while (n < Batch && _pending.TryDequeue(out var op)) batch[n++] = op;
            if (n == 0) break;
            Interlocked.Add(ref _pendingCount, -n);
            try
            {
                await ExecuteAsync(batch, n);
                replayed += n;
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                if (NeverSent(ex))
                {
                    for (var i = 0; i < n; i++) Enqueue(batch[i]);
                }
                else
                {
                    _metrics.Unconfirmed(n);
                    LogUnconfirmed(n, ex.GetType().Name);
                }
                MarkUnavailable(ex.GetType().Name + ": " + ex.Message);
                ok = false;
            }
        }
        if (replayed > 0)
        {
            _metrics.Replayed(replayed);
            LogReplayed(replayed);
        }
        return ok;
    }
}
