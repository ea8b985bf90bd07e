using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Bench.LoadGen;

/// <summary>
/// F6, metering exactness: N mixed requests through the gateway (JSON, streams with and without
/// include_usage, Anthropic-format streams translated to an OpenAI upstream, 10 % abandoned by the
/// client mid-stream), each with its own request id; then MockLlm's tally (what was served) is held
/// against the gateway's NDJSON ledger (what was metered): every completed request must match
/// exactly, abandoned ones must be flagged estimated, and no request id may appear twice.
/// </summary>
internal static class MixedLoad
{
    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        var gateway = o.Required("url").TrimEnd('/');
        var mock = o.Required("mock").TrimEnd('/');
        var key = o.Required("key");
        var total = o.Int("requests", 1000);
        var concurrency = o.Int("concurrency", 32);
        var ledgerDir = o.Required("ledger-dir");
        var run = Guid.NewGuid().ToString("N")[..8];
        using var client = Http.CreateClient(concurrency + 4);
        var aborted = new bool[total];
        var failed = new bool[total];
        var next = -1;
        // After the other figures MockLlm's tally and the gateway's ledger hold millions of
        // records: start the tally afresh, and read only what the ledger gains from here on.
        using (var reset = await client.DeleteAsync($"{mock}/_mock/tally", ct).ConfigureAwait(false)) reset.EnsureSuccessStatusCode();
        var offsets = LedgerOffsets(ledgerDir);

        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                try
                {
                    aborted[i] = await SendAsync(client, gateway, key, $"f6-{run}-{i}", i, ct).ConfigureAwait(false);
                }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                    failed[i] = true;
                }
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);

        var tally = await SettledTallyAsync(client, mock, ct).ConfigureAwait(false);
        var ledger = await LedgerAsync(ledgerDir, offsets, $"f6-{run}-", total, ct).ConfigureAwait(false);

        long completed = 0, abortedCount = 0, mismatched = 0, duplicates = 0, missing = 0, notEstimated = 0, errors = 0, ledgerTokens = 0, mockTokens = 0, abortedLedger = 0, abortedMock = 0;
        for (var i = 0; i < total; i++)
        {
            var id = $"f6-{run}-{i}";
            if (failed[i]) { errors++; continue; }
            ledger.TryGetValue(id, out var records);
            if (records is null || records.Count == 0) { missing++; continue; }
            if (records.Count > 1) duplicates++;
            var r = records[0];
            if (aborted[i])
            {
                abortedCount++;
                if (r["estimated"]?.GetValue<bool>() != true) notEstimated++;
                // Informational: the estimate against what MockLlm wrote before the client left.
                abortedLedger += Num(r, "inputTokens") + Num(r, "outputTokens");
                if (tally.TryGetValue(id, out var at)) abortedMock += Num(at, "prompt_tokens") + Num(at, "completion_tokens");
                continue;
            }
            completed++;
            var t = tally[id];
            long input = Num(r, "inputTokens"), output = Num(r, "outputTokens"), cached = Num(r, "cachedInputTokens");
            long tin = Num(t, "prompt_tokens"), tout = Num(t, "completion_tokens"), tcached = Num(t, "cached_tokens");
            ledgerTokens += input + output;
            mockTokens += tin + tout;
            if (input != tin || output != tout || cached != tcached || r["estimated"]?.GetValue<bool>() == true) mismatched++;
        }

        Results.Emit(o, new JsonObject
        {
            ["mode"] = "mixed",
            ["requests"] = total,
            ["completed"] = completed,
            ["aborted"] = abortedCount,
            ["aborted_not_estimated"] = notEstimated,
            ["errors"] = errors,
            ["ledger_tokens"] = ledgerTokens,
            ["mock_tokens"] = mockTokens,
            ["aborted_ledger_tokens"] = abortedLedger,
            ["aborted_mock_tokens"] = abortedMock,
            ["mismatched"] = mismatched,
            ["duplicates"] = duplicates,
            ["missing"] = missing,
        });
        return mismatched + duplicates + missing + notEstimated + errors == 0 ? 0 : 1;
    }

    private static long Num(JsonNode? node, string name) => node?[name] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;

    /// <summary>Sends request <paramref name="i"/>; returns true when the client abandoned it mid-stream.</summary>
    private static async Task<bool> SendAsync(HttpClient client, string gateway, string key, string requestId, int i, CancellationToken ct)
    {
        var abort = i % 10 == 9;
        var kind = abort ? 1 + i % 3 : i % 4;
        var prompt = $"Request {i}: summarise the liquidity position of desk {i % 37} in three sentences.";
        var (path, body) = kind switch
        {
            0 => ("/v1/chat/completions", $$"""{"model":"gpt-4o","messages":[{"role":"user","content":"{{prompt}}"}]}"""),
            1 => ("/v1/chat/completions", $$"""{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"{{prompt}}"}]}"""),
            2 => ("/v1/chat/completions", $$"""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"{{prompt}}"}]}"""),
            _ => ("/v1/messages", $$"""{"model":"gpt-4o","stream":true,"max_tokens":200,"messages":[{"role":"user","content":"{{prompt}}"}]}"""),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway + path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {key}");
        request.Headers.TryAddWithoutValidation("x-request-id", requestId);
        request.Headers.TryAddWithoutValidation("x-mock-chunks", "16");
        request.Headers.TryAddWithoutValidation("x-mock-chunk-delay-ms", abort ? "15" : "1");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        if (!abort)
        {
            await stream.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
            return false;
        }
        using var reader = new StreamReader(stream);
        var events = 0;
        while (events < 4 && await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal)) events++;
        }
        return true; // disposing the response mid-body abandons the stream
    }

    private static async Task<Dictionary<string, JsonNode?>> SettledTallyAsync(HttpClient client, string mock, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var json = JsonNode.Parse(await client.GetStringAsync($"{mock}/_mock/tally", ct).ConfigureAwait(false))!;
            if (Num(json["totals"], "in_flight") == 0 || sw.Elapsed > TimeSpan.FromSeconds(60))
                return json["requests"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            await Task.Delay(200, ct).ConfigureAwait(false);
        }
    }

    private static Dictionary<string, long> LedgerOffsets(string dir)
    {
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!Directory.Exists(dir)) return offsets;
        foreach (var file in Directory.EnumerateFiles(dir, "*.ndjson")) offsets[Path.GetFullPath(file)] = new FileInfo(file).Length;
        return offsets;
    }

    /// <summary>The lines a ledger file gained after <paramref name="offset"/> (from the start of a line).</summary>
    private static async Task<List<string>> LinesAfterAsync(string file, long offset, CancellationToken ct)
    {
        var lines = new List<string>();
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line) lines.Add(line);
        return lines;
    }

    /// <summary>Reads what the ledger gained (since <paramref name="offsets"/>) until it holds every request of this run, or stops growing for 10 s.</summary>
    private static async Task<Dictionary<string, List<JsonNode>>> LedgerAsync(string dir, Dictionary<string, long> offsets, string prefix, int expected, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var lastCount = -1;
        var lastChange = Stopwatch.StartNew();
        while (true)
        {
            var found = new Dictionary<string, List<JsonNode>>(StringComparer.Ordinal);
            if (Directory.Exists(dir))
            {
                foreach (var file in Directory.EnumerateFiles(dir, "*.ndjson"))
                {
                    foreach (var line in await LinesAfterAsync(file, offsets.GetValueOrDefault(Path.GetFullPath(file)), ct).ConfigureAwait(false))
                    {
                        if (line.Length == 0 || !line.Contains(prefix, StringComparison.Ordinal)) continue;
                        JsonNode? node;
                        try { node = JsonNode.Parse(line); } catch (JsonException) { continue; } // a line being written
                        var id = node?["requestId"]?.GetValue<string>();
                        if (id is null || !id.StartsWith(prefix, StringComparison.Ordinal)) continue;
                        if (!found.TryGetValue(id, out var list)) found[id] = list = [];
                        list.Add(node!);
                    }
                }
            }
            var count = found.Values.Sum(l => l.Count);
            if (count != lastCount) { lastCount = count; lastChange.Restart(); }
            if (found.Count >= expected && lastChange.Elapsed > TimeSpan.FromSeconds(2) || lastChange.Elapsed > TimeSpan.FromSeconds(10) || sw.Elapsed > TimeSpan.FromMinutes(3))
                return found;
            await Task.Delay(250, ct).ConfigureAwait(false);
        }
    }
}
