namespace Gateway.Proxy.Counters;

/// <summary>
/// One request's reservation across all its limits: the input (checks, the flexible-unit range,
/// the lease id), the counters' answer, and the actual amounts filled in before settling. The
/// same object goes to <see cref="IAdmissionCounters.ReserveAsync"/>, then to
/// <see cref="IAdmissionCounters.SettleAsync"/> or <see cref="IAdmissionCounters.ReleaseAsync"/>.
/// </summary>
internal sealed class CounterReservation
{
    public CounterReservation(string leaseId, CounterCheck[] checks, int count, long minUnits, long maxUnits)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, checks.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(minUnits);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxUnits, minUnits);
        LeaseId = leaseId;
        Checks = checks;
        Count = count;
        MinUnits = minUnits;
        MaxUnits = maxUnits;
        Remaining = new long[count];
        WindowStarts = new DateTimeOffset[count];
        ResetsAt = new DateTimeOffset[count];
        Actual = new long[count];
    }

    /// <summary>Identifies the request's concurrency leases (the request id).</summary>
    public string LeaseId { get; }

    /// <summary>The checks; only the first <see cref="Count"/> are used.</summary>
    public CounterCheck[] Checks { get; }

    public int Count { get; }

    /// <summary>The fewest flexible units (output tokens) the request accepts (clamp mode: 1; reject mode: <see cref="MaxUnits"/>).</summary>
    public long MinUnits { get; }

    public long MaxUnits { get; }

    // --- The counters' answer ---------------------------------------------------------

    /// <summary>True when every check was reserved.</summary>
    public bool Admitted { get; set; }

    /// <summary>The flexible units granted (admitted only).</summary>
    public long Units { get; set; }

    /// <summary>The check that refused, or -1.</summary>
    public int DeniedIndex { get; set; } = -1;

    /// <summary>Per check: <c>limit − value</c> after the reservation (or, when denied, now), never below zero.</summary>
    public long[] Remaining { get; }

    /// <summary>Per check: the start of the window the reservation went to (<see cref="DateTimeOffset.MinValue"/> for gauges).</summary>
    public DateTimeOffset[] WindowStarts { get; }

    /// <summary>Per check: when its window ends (<see cref="DateTimeOffset.MaxValue"/> for gauges).</summary>
    public DateTimeOffset[] ResetsAt { get; }

    // --- Settlement ---------------------------------------------------------------------

    /// <summary>Per check: the amount actually used (tokens, money units), filled in before <see cref="IAdmissionCounters.SettleAsync"/>.</summary>
    public long[] Actual { get; }

    /// <summary>Set by the counters once settled or released, so neither happens twice.</summary>
    public bool Finished { get; set; }

    /// <summary>The implementation's own note about this reservation (e.g. where it was made), from reserve to settle.</summary>
    public object? State { get; set; }

    /// <summary>The denied check, when denied.</summary>
    public ref readonly CounterCheck Denied => ref Checks[DeniedIndex];

    /// <summary>What check <paramref name="index"/> holds for this reservation.</summary>
    public long Reserved(int index) => Checks[index].AmountFor(Units);
}
