namespace Gateway.Proxy.Counters;

/// <summary>
/// The shared counters behind admission: one call reserves across every applicable limit at
/// once, all or nothing; a settle replaces what was reserved with what was used; a release gives
/// back what a request that never reached the upstream had reserved. The in-process
/// implementation (<see cref="InProcessCounters"/>) serves one node; a Redis implementation
/// (scale-out) translates each call into one Lua script run, one round trip:
/// <list type="bullet">
/// <item><see cref="ReserveAsync"/>: for each <see cref="CounterCheck"/> read
/// <c>{Key}:{window start}</c> (or the lease set of a concurrency gauge), compute the units that
/// fit, then either increment every key (setting its expiry to the window's end) or none.</item>
/// <item><see cref="SettleAsync"/>: per check, add <c>actual − reserved</c> to the reservation's
/// window key when it still exists, else the positive excess to the current window's key;
/// remove the lease from each concurrency gauge.</item>
/// </list>
/// Amounts are whole numbers: tokens, requests, leases, and money in nano-units of the budget's
/// currency (<see cref="Money"/>), so the arithmetic is exact in both implementations.
/// </summary>
internal interface IAdmissionCounters
{
    /// <summary>
    /// Reserves <c>Fixed + PerUnit × units</c> on every check, with <c>units</c> the largest value in
    /// [<see cref="CounterReservation.MinUnits"/>, <see cref="CounterReservation.MaxUnits"/>] that
    /// fits all of them. Fills the reservation's outcome (admitted, units, denied check, remaining,
    /// window starts and resets). Atomic: no other reservation sees a partial state.
    /// </summary>
    ValueTask ReserveAsync(CounterReservation reservation, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the reserved amounts with <see cref="CounterReservation.Actual"/> (per check) and
    /// releases concurrency leases. Request counts stay. Called once per admitted reservation.
    /// </summary>
    ValueTask SettleAsync(CounterReservation reservation, CancellationToken cancellationToken);

    /// <summary>Gives back the reserved tokens and money and the concurrency leases (the request never reached the upstream); request counts stay.</summary>
    ValueTask ReleaseAsync(CounterReservation reservation, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="delta"/> to <paramref name="key"/>'s window that starts at
    /// <paramref name="windowStart"/>, if that window is still held (never below zero). Used when a
    /// new snapshot's settled budget figure already includes usage counted here.
    /// </summary>
    ValueTask AdjustAsync(string key, DateTimeOffset windowStart, long delta, CancellationToken cancellationToken);
}
