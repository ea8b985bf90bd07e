using System.Globalization;
using StackExchange.Redis;

namespace Gateway.Proxy.Counters.Redis;

internal sealed partial class RedisAdmissionCounters
{
    private int _available;
    private long _downSince;
    private long _nextRenewal;
    private readonly SemaphoreSlim _maintenance = new(1, 1);

    /// <summary>True while Redis is in use; false while the fallback decides.</summary>
    public bool IsAvailable => Volatile.Read(ref _available) == 1;

    /// <summary>Concurrency leases held in Redis by requests in flight here.</summary>
    public int LiveLeases => _leases.Count;

    /// <summary>
    /// Connects and, with Redis there, loads the scripts and switches to it; otherwise the counters
    /// start on the fallback and maintenance recovers later. Run once, at the proxy's start.
    /// </summary>
    public async Task StartAsync()
    {
        if (_connection.Started) return;
        await _connection.ConnectAsync();
        _connection.Multiplexer.ConnectionFailed += (_, e) => MarkUnavailable("connection failed: " + e.FailureType);
        if (!_connection.Multiplexer.IsConnected)
        {
            LogStartedWithoutRedis(_connection.Endpoints);
            return;
        }
        try
        {
            await _connection.LoadScriptsAsync();
            Volatile.Write(ref _available, 1);
            LogConnected(_connection.Endpoints);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            LogStartedWithoutRedis(_connection.Endpoints);
        }
    }

    /// <summary>Switches to the fallback (once per outage): a log line and a metric.</summary>
    private void MarkUnavailable(string reason)
    {
        if (Interlocked.Exchange(ref _available, 0) != 1) return;
        _downSince = _time.GetTimestamp();
        _fallback.StartEpoch();
        _metrics.Transition(available: false);
        LogUnavailable(_connection.Endpoints, reason, Describe(_options.OnFailure.RateLimits), Describe(_options.OnFailure.Budgets));
    }

    /// <summary>
    /// One maintenance round (every probe interval, from <see cref="RedisCountersMaintenance"/>):
    /// while Redis is away, probe it, and when it answers load the scripts, replay the queued
    /// settlements and switch back; while it is in use, flush anything queued and renew the
    /// leases of requests in flight (every third of the lease time).
    /// </summary>
    public async Task MaintainAsync()
    {
        await _maintenance.WaitAsync();
        try
        {
            if (!_connection.Started) return; // not started yet: nothing to recover or renew
            if (!IsAvailable && !await RecoverAsync()) return;
            if (!_pending.IsEmpty && !await FlushPendingAsync()) return;
            if (_time.GetTimestamp() >= Volatile.Read(ref _nextRenewal)) await RenewLeasesAsync();
        }
        finally
        {
            _maintenance.Release();
        }
    }

    private async Task<bool> RecoverAsync()
    {
        try
        {
            await _connection.Database.PingAsync();
            await _connection.LoadScriptsAsync();
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            return false;
        }
        if (!await FlushPendingAsync()) return false;
        if (Interlocked.Exchange(ref _available, 1) == 1) return true;
        _metrics.Transition(available: true);
        LogRecovered(_connection.Endpoints, _time.GetElapsedTime(_downSince).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture));
        return true;
    }

    private async Task RenewLeasesAsync()
    {
        Volatile.Write(ref _nextRenewal, _time.GetTimestamp() + (long)(TimeSpan.FromMilliseconds(_leaseMs / 3.0).TotalSeconds * _time.TimestampFrequency));
        if (_leases.IsEmpty) return;
        var until = _time.GetUtcNow().ToUnixTimeMilliseconds() + _leaseMs;
        var ops = new List<PendingOperation>();
        foreach (var (reservation, member) in _leases)
        {
            for (var i = 0; i < reservation.Count; i++)
            {
                if (reservation.Checks[i].Window == CounterWindow.None)
                    ops.Add(new PendingOperation(PendingOperation.RenewLease, _prefix + reservation.Checks[i].Key, until, _leaseMs + 60_000, member));
            }
        }
        try
        {
            for (var start = 0; start < ops.Count; start += 256)
            {
                var batch = ops.GetRange(start, Math.Min(256, ops.Count - start)).ToArray();
                await ExecuteAsync(batch, batch.Length);
            }
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            MarkUnavailable(ex.GetType().Name + ": " + ex.Message);
        }
    }

    /// <summary>Reads a counter's current value (tests and diagnostics): the window counter of now, or the live leases of a gauge.</summary>
    public async Task<long> PeekAsync(string key, CounterWindow window)
    {
        var now = _time.GetUtcNow();
        if (window == CounterWindow.None)
            return await _connection.Database.SortedSetLengthAsync(_prefix + key, now.ToUnixTimeMilliseconds(), double.PositiveInfinity, Exclude.Start);
        var value = await _connection.Database.StringGetAsync(WindowKey(key, CounterWindows.Start(window, now)));
        return value.IsNull ? 0 : (long)value;
    }

    /// <summary>The fallback's value of a counter (tests and diagnostics).</summary>
    public long PeekLocal(string key, CounterWindow window) => _fallback.Peek(key, window);

    private static string Describe(CounterFailureMode mode) => mode == CounterFailureMode.FailClosed ? "fail-closed" : "fail-open";
}
