using System.Diagnostics;
using System.Text.Json.Nodes;
using HdrHistogram;

namespace Gateway.Bench.LoadGen;

/// <summary>
/// Non-streaming requests. With <c>--rate</c>: open loop, each request sent at its scheduled time
/// and its latency counted from that time (no coordinated omission). With <c>--concurrency</c>:
/// closed loop, C workers each sending the next request when the last one finished (c=1 is the
/// sequential mode of F2).
/// </summary>
internal static class JsonLoad
{
    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        var url = new Uri(o.Required("url"));
        var body = o.Body();
        var headers = o.Headers().ToList();
        var rate = o.Double("rate", 0);
        var concurrency = o.Int("concurrency", 1);
        var warmup = o.Double("warmup", 5);
        var duration = o.Double("duration", 10);
        using var client = Http.CreateClient(rate > 0 ? 4096 : concurrency);
        // How late the open loop started each send; a closed loop sends when the last answer came.
        LongHistogram? NewLateness() => rate > 0 ? Results.NewHistogram() : null;

        if (warmup > 0)
        {
            await RunPhaseAsync(client, url, body, headers, rate, concurrency, warmup, Results.NewHistogram(), NewLateness(), ct);
        }
        var histogram = Results.NewHistogram();
        var lateness = NewLateness();
        var (sent, errors, elapsed) = await RunPhaseAsync(client, url, body, headers, rate, concurrency, duration, histogram, lateness, ct);

        var result = new JsonObject
        {
            ["mode"] = "json",
            ["loop"] = rate > 0 ? "open" : "closed",
            ["target_rate"] = rate > 0 ? rate : null,
            ["concurrency"] = rate > 0 ? null : concurrency,
            ["requests"] = sent,
            ["errors"] = errors,
            ["rps"] = Math.Round(sent / elapsed, 1),
        };
        Results.AddPercentiles(result, "", histogram);
        if (lateness is not null) Results.AddPercentiles(result, "late_", lateness);
        Results.Emit(o, result);
        return 0;
    }

    private static async Task<(long Sent, long Errors, double Seconds)> RunPhaseAsync(
        HttpClient client, Uri url, byte[] body, List<(string, string)> headers, double rate, int concurrency, double seconds,
        LongHistogram histogram, LongHistogram? lateness, CancellationToken ct)
    {
        long sent = 0, errors = 0;
        var start = Stopwatch.GetTimestamp();
        var end = start + Clock.Seconds(seconds);
        var gate = new object();

        async Task OneAsync(long scheduled, int index)
        {
            try
            {
                using var request = Http.NewRequest(url, body, headers, index);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref errors);
            }
            var micros = Clock.MicrosSince(scheduled);
            lock (gate) histogram.RecordValue(Math.Max(1, micros));
        }

        if (lateness is not null)
        {
            await Clock.PaceAsync(start, end, Stopwatch.Frequency / rate, (due, index) => OneAsync(due, index), lateness, ct).ConfigureAwait(false);
            sent = lateness.TotalCount;
        }
        else
        {
            var workers = new Task[concurrency];
            for (var w = 0; w < concurrency; w++)
            {
                var worker = w;
                workers[w] = Task.Run(async () =>
                {
                    for (var n = 0; Stopwatch.GetTimestamp() < end && !ct.IsCancellationRequested; n++)
                    {
                        await OneAsync(Stopwatch.GetTimestamp(), worker * 1_000_000 + n).ConfigureAwait(false);
                        Interlocked.Increment(ref sent);
                    }
                }, ct);
            }
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        return (sent, errors, (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency);
    }
}
