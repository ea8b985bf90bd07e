using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gateway.Bench.LoadGen;

/// <summary>
/// Turns wrk's text output (run with <c>--latency</c>) into a result line; with <c>--cpu-seconds</c>
/// (the arm's CPU time during the run) also its CPU share and CPU time per request.
/// </summary>
internal static partial class WrkParse
{
    public static int Run(Options o)
    {
        var text = File.ReadAllText(o.Required("in"));
        var result = new JsonObject { ["mode"] = "wrk" };
        if (RequestsPerSec().Match(text) is { Success: true } rps)
            result["rps"] = double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture);
        if (Requests().Match(text) is { Success: true } total)
        {
            var requests = long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture);
            var seconds = ToMs(double.Parse(total.Groups[2].Value, CultureInfo.InvariantCulture), total.Groups[3].Value) / 1000.0;
            result["requests"] = requests;
            // The CPU time the arm's process used during the run (user + system, from /proc/<pid>/stat,
            // measured by the caller): what a request costs the arm, which req/s alone does not show
            // when the load side, not the arm's core, is what runs out.
            if (o.Get("cpu-seconds") is { } cpu && requests > 0 && seconds > 0)
            {
                var cpuSeconds = double.Parse(cpu, CultureInfo.InvariantCulture);
                result["cpu_pct"] = 100.0 * cpuSeconds / seconds;
                result["cpu_us_per_request"] = cpuSeconds * 1e6 / requests;
            }
        }
        long errors = 0;
        foreach (Match m in Non2xx().Matches(text)) errors += long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        foreach (Match m in SocketErrors().Matches(text))
        {
            for (var g = 1; g <= 4; g++) errors += long.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        }
        result["errors"] = errors;
        foreach (Match m in Percentile().Matches(text))
        {
            var name = m.Groups[1].Value switch { "50" => "p50_ms", "75" => "p75_ms", "90" => "p90_ms", "99" => "p99_ms", _ => null };
            if (name is not null) result[name] = ToMs(double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value);
        }
        if (!result.ContainsKey("rps"))
        {
            Console.Error.WriteLine("wrk output had no Requests/sec line:\n" + text);
            return 1;
        }
        Results.Emit(o, result);
        return 0;
    }

    private static double ToMs(double value, string unit) => unit switch
    {
        "us" => value / 1000.0,
        "ms" => value,
        "s" => value * 1000.0,
        "m" => value * 60_000.0,
        _ => value,
    };

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSec();

    [GeneratedRegex(@"([0-9]+) requests in ([0-9.]+)(us|ms|s|m)\b")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"^\s+(50|75|90|99)%\s+([0-9.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex Percentile();
}
