using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HdrHistogram;

namespace Gateway.Bench.LoadGen;

/// <summary>Writes one result as a JSON line (to --out, appended, and to stdout).</summary>
internal static class Results
{
    /// <summary>Histograms record microseconds, 1 µs to 10 min, 3 significant digits.</summary>
    public static LongHistogram NewHistogram() => new(600_000_000L, 3);

    public static double Ms(this HistogramBase h, double percentile) =>
        h.TotalCount == 0 ? double.NaN : h.GetValueAtPercentile(percentile) / 1000.0;

    public static double MaxMs(this HistogramBase h) => h.TotalCount == 0 ? double.NaN : h.GetMaxValue() / 1000.0;

    public static void AddPercentiles(JsonObject o, string prefix, HistogramBase h)
    {
        o[$"{prefix}p50_ms"] = Round(h.Ms(50));
        o[$"{prefix}p90_ms"] = Round(h.Ms(90));
        o[$"{prefix}p99_ms"] = Round(h.Ms(99));
        o[$"{prefix}p999_ms"] = Round(h.Ms(99.9));
        o[$"{prefix}max_ms"] = Round(h.MaxMs());
    }

    public static double? Round(double v) => double.IsNaN(v) ? null : Math.Round(v, 4);

    public static void Emit(Options options, JsonObject result)
    {
        result["label"] ??= options.Get("label") ?? "";
        foreach (var tag in options.All("tag"))
        {
            var eq = tag.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) result[tag[..eq]] = tag[(eq + 1)..];
        }
        result["at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var line = result.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        Console.WriteLine(line);
        if (options.Get("out") is { } file) File.AppendAllText(file, line + "\n");
    }
}
