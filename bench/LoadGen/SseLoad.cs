using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Gateway.Bench.LoadGen;

/// <summary>
/// Streaming requests: C concurrent streams for the duration, each worker starting its next stream
/// when the last ended. Records time to first token (first <c>data:</c> event), every gap between
/// events, and the events per stream: with <c>--expect-chunks N</c> (what MockLlm sends, known from
/// its knobs) every stream that ended with another count is counted, so "chunks out = chunks in"
/// is checked per stream. A stream is always read to its end, even past the measuring window, so
/// the window never cuts one short; a stream that fails mid-way is an error, not a short count.
/// </summary>
internal static class SseLoad
{
    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        var url = new Uri(o.Required("url"));
        var body = o.Body();
        var headers = o.Headers().ToList();
        var concurrency = o.Int("concurrency", 1);
        var warmup = o.Double("warmup", 5);
        var duration = o.Double("duration", 10);
        var expect = o.Int("expect-chunks", -1);
        using var client = Http.CreateClient(concurrency + 16);

        // Stream indexes ({i} in a header) differ between the phases: worker × 1,000,000 + n, n from 500,000 in the warm-up.
        if (warmup > 0) await RunPhaseAsync(client, url, body, headers, concurrency, warmup, new Stats(expect), 500_000, ct);
        var stats = new Stats(expect);
        await RunPhaseAsync(client, url, body, headers, concurrency, duration, stats, 0, ct);

        var result = new JsonObject
        {
            ["mode"] = "sse",
            ["concurrency"] = concurrency,
            ["streams"] = stats.Streams,
            ["errors"] = stats.Errors,
            ["chunks_min"] = stats.Streams == 0 ? null : stats.MinChunks,
            ["chunks_max"] = stats.Streams == 0 ? null : stats.MaxChunks,
            ["chunks_expected"] = expect < 0 ? null : expect,
            ["streams_wrong_chunks"] = expect < 0 ? null : stats.WrongChunks,
            ["streams_without_done"] = stats.WithoutDone,
            ["gaps_over_200ms"] = stats.GapsOver200Ms,
        };
        Results.AddPercentiles(result, "ttft_", stats.Ttft);
        Results.AddPercentiles(result, "gap_", stats.Gaps);
        Results.Emit(o, result);
        return 0;
    }

    private sealed class Stats(int expect)
    {
        public readonly int Expect = expect;
        public readonly HdrHistogram.LongHistogram Ttft = Results.NewHistogram();
        public readonly HdrHistogram.LongHistogram Gaps = Results.NewHistogram();
        public long Streams, Errors, GapsOver200Ms, WrongChunks, WithoutDone;
        public int MinChunks = int.MaxValue, MaxChunks;
    }

    private static async Task RunPhaseAsync(HttpClient client, Uri url, byte[] body, List<(string, string)> headers, int concurrency, double seconds, Stats stats, int firstIndex, CancellationToken ct)
    {
        var end = Stopwatch.GetTimestamp() + Clock.Seconds(seconds);
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = w;
            workers[w] = Task.Run(async () =>
            {
                // Spread the first streams over 1 s so that C streams do not all start in the same instant.
                await Task.Delay(TimeSpan.FromMilliseconds(1000.0 * worker / concurrency), ct).ConfigureAwait(false);
                for (var n = firstIndex; Stopwatch.GetTimestamp() < end && !ct.IsCancellationRequested; n++)
                {
                    await OneStreamAsync(client, url, body, headers, worker * 1_000_000 + n, stats, ct).ConfigureAwait(false);
                }
            }, ct);
        }
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private static async Task OneStreamAsync(HttpClient client, Uri url, byte[] body, List<(string, string)> headers, int index, Stats stats, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        long last = 0, ttft = -1;
        var chunks = 0;
        var done = false;
        var localGaps = new List<long>(80);
        try
        {
            using var request = Http.NewRequest(url, body, headers, index);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref stats.Errors);
                return;
            }
            await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
                var now = Stopwatch.GetTimestamp();
                if (line.AsSpan(5).Trim().SequenceEqual("[DONE]"))
                {
                    done = true;
                    break;
                }
                chunks++;
                if (ttft < 0) ttft = (now - start) * 1_000_000 / Stopwatch.Frequency;
                else localGaps.Add((now - last) * 1_000_000 / Stopwatch.Frequency);
                last = now;
            }
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            Interlocked.Increment(ref stats.Errors);
            return;
        }
        lock (stats)
        {
            stats.Streams++;
            if (ttft >= 0) stats.Ttft.RecordValue(Math.Max(1, ttft));
            foreach (var gap in localGaps)
            {
                stats.Gaps.RecordValue(Math.Max(1, gap));
                if (gap > 200_000) stats.GapsOver200Ms++;
            }
            if (stats.Expect >= 0 && chunks != stats.Expect) stats.WrongChunks++;
            if (!done) stats.WithoutDone++;
            stats.MinChunks = Math.Min(stats.MinChunks, chunks);
            stats.MaxChunks = Math.Max(stats.MaxChunks, chunks);
        }
    }
}
