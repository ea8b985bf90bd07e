namespace Gateway.ControlPlane.Data;

/// <summary>Money and prices: <c>decimal(18,6)</c> everywhere (SQLite stores micro-units as integers).</summary>
internal static class Money
{
    public const int Precision = 18;
    public const int Scale = 6;

    /// <summary>The largest amount that fits <c>decimal(18,6)</c>.</summary>
    public const decimal Max = 999_999_999_999.999999m;

    /// <summary>True when <paramref name="value"/> has at most <see cref="Scale"/> decimals and fits the column.</summary>
    public static bool Fits(decimal value) =>
        Math.Abs(value) <= Max && decimal.Round(value, Scale) == value;
}
