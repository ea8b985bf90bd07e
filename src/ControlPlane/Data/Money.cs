namespace Gateway.ControlPlane.Data;

/// <summary>
/// Money. Prices, budgets and limits are <c>decimal(18,6)</c>. Ledger amounts (usage costs,
/// rollups, statement lines, adjustments) are <c>decimal(28,12)</c>: a cost is tokens × a price per
/// million with up to 6 decimals, so it needs up to 12 decimals to be exact, and statements must
/// equal the ledger to the last digit. SQLite (the default run) has no decimal type and stores
/// integers instead: micro-units for prices, pico-units for ledger amounts (exact up to
/// ±9,223,372 per value or sum, ample for the single-node default run; production uses SQL
/// Server or PostgreSQL decimals).
/// </summary>
internal static class Money
{
    public const int Precision = 18;
    public const int Scale = 6;

    public const int LedgerPrecision = 28;
    public const int LedgerScale = 12;

    /// <summary>The largest amount that fits <c>decimal(18,6)</c>.</summary>
    public const decimal Max = 999_999_999_999.999999m;

    /// <summary>The largest ledger amount every provider stores exactly (SQLite's pico-unit integers).</summary>
    public const decimal LedgerMax = 9_223_372m;

    /// <summary>True when <paramref name="value"/> has at most <see cref="Scale"/> decimals and fits the column.</summary>
    public static bool Fits(decimal value) =>
        Math.Abs(value) <= Max && decimal.Round(value, Scale) == value;

    /// <summary>True when a ledger amount has at most <see cref="LedgerScale"/> decimals and fits every provider.</summary>
    public static bool FitsLedger(decimal value) =>
        Math.Abs(value) <= LedgerMax && decimal.Round(value, LedgerScale) == value;
}
