namespace Gateway.Proxy.Counters;

/// <summary>What a counter counts.</summary>
internal enum CounterKind : byte
{
    /// <summary>Requests per window (one per request, never given back).</summary>
    Requests,

    /// <summary>Tokens per window (reserved, then settled to the exact usage).</summary>
    Tokens,

    /// <summary>Requests in flight (a gauge: a lease per request, released at the end).</summary>
    Concurrency,

    /// <summary>Tokens this month (a budget).</summary>
    BudgetTokens,

    /// <summary>Money this month, in nano-units of the budget's currency (a budget).</summary>
    BudgetMoney,
}

/// <summary>The scope a limit applies to.</summary>
internal enum CounterScope : byte
{
    Key,
    Subscription,
    Team,
}

/// <summary>The window a counter's value belongs to.</summary>
internal enum CounterWindow : byte
{
    /// <summary>No window: a gauge (concurrency).</summary>
    None,

    /// <summary>A fixed 60-second window aligned to the UTC minute.</summary>
    Minute,

    /// <summary>The UTC calendar month.</summary>
    Month,
}

/// <summary>
/// One limit a request must fit: the counter <see cref="Key"/> (its identity without the window),
/// its window and limit, and what the request needs: <see cref="Fixed"/> plus
/// <see cref="PerUnit"/> per flexible unit (output tokens; see <see cref="CounterReservation"/>).
/// </summary>
internal readonly record struct CounterCheck(string Key, CounterKind Kind, CounterScope Scope, CounterWindow Window, long Limit, long Fixed, long PerUnit)
{
    /// <summary>
    /// What this check takes for <paramref name="units"/> flexible units; <see cref="long.MaxValue"/>
    /// when that is more than a counter can hold (a request's own <c>max_tokens</c> at a money rate
    /// can be), never a sum that overflowed.
    /// </summary>
    public long AmountFor(long units) =>
        PerUnit > 0 && units > (long.MaxValue - Fixed) / PerUnit ? long.MaxValue : Fixed + (PerUnit * units);
}

/// <summary>Window arithmetic shared by every implementation (UTC, aligned to the minute or the month).</summary>
internal static class CounterWindows
{
    public static DateTimeOffset Start(CounterWindow window, DateTimeOffset now) => window switch
    {
        CounterWindow.Minute => new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero),
        CounterWindow.Month => new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero),
        _ => DateTimeOffset.MinValue,
    };

    public static DateTimeOffset End(CounterWindow window, DateTimeOffset start) => window switch
    {
        CounterWindow.Minute => start.AddMinutes(1),
        CounterWindow.Month => start.AddMonths(1),
        _ => DateTimeOffset.MaxValue,
    };

    /// <summary>The period name of a month window (<c>yyyy-MM</c>), as in <c>PeriodUsageSpec.Period</c>.</summary>
    public static string Period(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Money in counters: whole nano-units (10⁻⁹) of the currency, so sums are exact integers.</summary>
internal static class Money
{
    public const decimal UnitsPerCurrency = 1_000_000_000m;

    /// <summary>Nano-units of <paramref name="amount"/>, rounded up (a reservation never under-reserves).</summary>
    public static long ToUnitsCeiling(decimal amount) => amount <= 0 ? 0 : (long)decimal.Ceiling(Math.Min(amount, long.MaxValue / UnitsPerCurrency) * UnitsPerCurrency);

    /// <summary>Nano-units of <paramref name="amount"/>, rounded to the nearest unit.</summary>
    public static long ToUnits(decimal amount) => amount <= 0 ? 0 : (long)decimal.Round(Math.Min(amount, long.MaxValue / UnitsPerCurrency) * UnitsPerCurrency, MidpointRounding.AwayFromZero);

    public static decimal FromUnits(long units) => units / UnitsPerCurrency;
}
