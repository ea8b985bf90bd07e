using System.Globalization;

namespace Gateway.Portal.Components.Pages.Finance;

/// <summary>Billing months (<c>yyyy-MM</c>, UTC) and their instants.</summary>
internal static class Periods
{
    public static string Of(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static DateTimeOffset Start(string period) =>
        DateTimeOffset.ParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>The last <paramref name="count"/> months up to and including the one of <paramref name="now"/>, newest first.</summary>
    public static IReadOnlyList<string> Recent(DateTimeOffset now, int count)
    {
        var start = Start(Of(now));
        return [.. Enumerable.Range(0, count).Select(i => Of(start.AddMonths(-i)))];
    }

    /// <summary>Whether the month has ended (only then can it be closed).</summary>
    public static bool HasEnded(string period, DateTimeOffset now) => string.CompareOrdinal(period, Of(now)) < 0;
}
