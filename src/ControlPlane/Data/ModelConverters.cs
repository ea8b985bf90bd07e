using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Gateway.ControlPlane.Data;

/// <summary>Value converters that make the model behave the same on every provider.</summary>
internal static class ModelConverters
{
    /// <summary>decimal(18,6) as integer micro-units.</summary>
    internal sealed class MicroUnits() : ValueConverter<decimal, long>(
        v => (long)(v * 1_000_000m),
        v => v / 1_000_000m);

    /// <summary>decimal(28,12) ledger amounts as integer pico-units.</summary>
    internal sealed class PicoUnits() : ValueConverter<decimal, long>(
        v => (long)(v * 1_000_000_000_000m),
        v => v / 1_000_000_000_000m);

    /// <summary>An instant as its UTC ticks.</summary>
    internal sealed class UtcTicks() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));

    /// <summary>An instant normalised to UTC.</summary>
    internal sealed class ToUtc() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        v => v.ToUniversalTime(),
        v => v.ToUniversalTime());
}
