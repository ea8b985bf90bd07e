using System.Collections.Concurrent;
using System.Text;
using Gateway.Proxy.Tests.Infrastructure;
using Gateway.Testing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Tests;

/// <summary>
/// Bad answers, in bulk: valid requests of every kind, answered by a provider whose answer is a
/// valid one mutated at random (<see cref="JsonMutator"/>): a usage object with negative, huge or
/// non-numeric counts, a missing or doubled event, a cut-off body. Whatever a provider sends, the
/// gateway relays it or fails the request cleanly (never a 5xx of its own), leaves no reservation
/// outstanding and logs no error, and the ledger holds exactly one record per request that
/// reached the provider, each one the control plane accepts (counts zero or more, cached at most
/// the input, cost zero or more): a record it quarantined would be usage lost.
/// The mutations are the same on every run; <c>FUZZ_SEED=n</c> picks another sequence to explore.
/// </summary>
public sealed class MalformedUpstreamTests : IAsyncLifetime
{
    private const int RequestsPerSeed = 80;
    private static readonly JsonMutator Mutator = new(
        ["usage", "prompt_tokens", "completion_tokens", "total_tokens", "input_tokens", "output_tokens", "cached_tokens", "prompt_tokens_details",
         "cache_read_input_tokens", "cache_creation_input_tokens", "choices", "delta", "content", "text", "type", "message", "response", "data"]);

    private readonly ConcurrentDictionary<string, string> _mutations = new();
    private FakeUpstream _upstream = null!;
    private int _seed;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _seed = JsonMutator.Seed;
        _upstream = await FakeUpstream.StartAsync(AnswerAsync);
    }

    public async ValueTask DisposeAsync() => await _upstream.DisposeAsync();

    /// <summary>The client's side: valid requests, streamed or not, plain or translated.</summary>
    private static readonly (string Path, string Body)[] Requests =
    [
        ("/v1/chat/completions", """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_tokens":50}"""),
        ("/v1/chat/completions", """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_tokens":50,"stream":true,"stream_options":{"include_usage":true}}"""),
        ("/v1/chat/completions", """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_tokens":50,"stream":true}"""),
        ("/v1/chat/completions", """{"model":"claude","messages":[{"role":"user","content":"Hello"}],"max_tokens":50}"""),
        ("/v1/chat/completions", """{"model":"claude","messages":[{"role":"user","content":"Hello"}],"max_tokens":50,"stream":true,"stream_options":{"include_usage":true}}"""),
        ("/v1/messages", """{"model":"claude","max_tokens":50,"messages":[{"role":"user","content":"Hi"}]}"""),
        ("/v1/messages", """{"model":"claude","max_tokens":50,"messages":[{"role":"user","content":"Hi"}],"stream":true}"""),
        ("/v1/messages", """{"model":"chat","max_tokens":50,"messages":[{"role":"user","content":"Hi"}],"stream":true}"""),
        ("/v1/embeddings", """{"model":"embed","input":["a","b"]}"""),
        ("/v1/responses", """{"model":"chat","input":"Hi","max_output_tokens":30}"""),
    ];

    /// <summary>The provider's side: a valid answer for what was asked, then one mutation of it (none for the first of each kind).</summary>
    private async Task AnswerAsync(HttpContext context, RecordedRequest request)
    {
        var id = request.Header("x-request-id")!;
        var index = int.Parse(id[(id.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var random = new Random(_seed + index);
        var anthropic = request.PathAndQuery.StartsWith("/v1/messages", StringComparison.Ordinal);
        var stream = request.BodyText.Contains("\"stream\":true", StringComparison.Ordinal);
        var path = request.PathAndQuery;
        var mutate = index % (RequestsPerSeed + 1) != 0;
        if (!stream)
        {
            var json = anthropic ? """{"id":"msg_1","type":"message","role":"assistant","model":"up","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"cache_read_input_tokens":2,"cache_creation_input_tokens":1,"output_tokens":5}}"""
                : path.EndsWith("/embeddings", StringComparison.Ordinal) ? """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],"model":"up","usage":{"prompt_tokens":3,"total_tokens":3}}"""
                : path.EndsWith("/responses", StringComparison.Ordinal) ? """{"id":"resp_1","object":"response","model":"up","status":"completed","output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Hi"}]}],"usage":{"input_tokens":5,"output_tokens":2,"total_tokens":7,"input_tokens_details":{"cached_tokens":1}}}"""
                : """{"id":"c1","object":"chat.completion","created":1,"model":"up","choices":[{"index":0,"message":{"role":"assistant","content":"Hi there"},"finish_reason":"stop"}],"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18,"prompt_tokens_details":{"cached_tokens":3}}}""";
            var (answer, mutation) = mutate ? Mutator.Mutate(json, random) : (json, "none");
            _mutations[id] = mutation;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer);
            return;
        }
        var events = anthropic
            ? new List<string>
            {
                "event: message_start\ndata: " + """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"up","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"cache_read_input_tokens":2,"output_tokens":1}}}""",
                "event: content_block_start\ndata: " + """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
                "event: content_block_delta\ndata: " + """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello there"}}""",
                "event: content_block_stop\ndata: " + """{"type":"content_block_stop","index":0}""",
                "event: message_delta\ndata: " + """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}}""",
                "event: message_stop\ndata: " + """{"type":"message_stop"}""",
            }
            : new List<string>
            {
                "data: " + """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"up","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}""",
                "data: " + """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"up","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}""",
                "data: " + """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"up","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11,"prompt_tokens_details":{"cached_tokens":4}}}""",
                "data: [DONE]",
            };
        var description = "none";
        if (mutate)
        {
            var at = random.Next(events.Count);
            var line = events[at];
            var dataAt = line.IndexOf("data: ", StringComparison.Ordinal) + 6;
            switch (random.Next(6))
            {
                case 0:
                    events.RemoveAt(at);
                    description = $"event {at} left out";
                    break;
                case 1:
                    events.Insert(at, line);
                    description = $"event {at} sent twice";
                    break;
                default:
                    if (line.EndsWith("[DONE]", StringComparison.Ordinal)) goto case 0;
                    var (data, mutation) = Mutator.Mutate(line[dataAt..], random);
                    events[at] = line[..dataAt] + data.Replace("\n", " ", StringComparison.Ordinal);
                    description = $"event {at}: {mutation}";
                    break;
            }
        }
        _mutations[id] = description;
        context.Response.ContentType = "text/event-stream";
        foreach (var e in events)
        {
            await context.Response.WriteAsync(e + "\n\n");
            await context.Response.Body.FlushAsync();
        }
    }

    [Fact]
    public async Task MutatedProviderAnswers_AreRelayedOrFailedCleanly_AndEveryRecordIsOneTheLedgerAccepts()
    {
        var (proxy, logs) = await Fuzzing.StartAsync(Fuzzing.EveryPolicy(TestWorld.Snapshot(_upstream.Url, canaryPercent: 0)));
        await using var _ = proxy;

        var failures = new ConcurrentQueue<string>();
        var total = Requests.Length * (RequestsPerSeed + 1);
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (index, ct) =>
        {
            var (path, body) = Requests[index / (RequestsPerSeed + 1)];
            var id = $"up-fuzz-{index}";
            using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            message.Headers.Add("x-request-id", id);
            try
            {
                using var response = await proxy.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                if ((int)response.StatusCode is >= 500 and not (502 or 504)) failures.Enqueue($"{path} {id} [{_mutations.GetValueOrDefault(id)}] → {(int)response.StatusCode}: {text}");
            }
            catch (HttpRequestException)
            {
                // A stream the gateway broke off because the provider's did not make sense: the client sees a failed read.
            }
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {total} requests failed in the gateway:\n" + string.Join("\n", failures.Take(15)));

        Assert.Equal(total, _upstream.Requests.Count(r => r.Header("x-request-id")!.StartsWith("up-fuzz-", StringComparison.Ordinal)));
        var records = await Fuzzing.LedgerAsync(proxy, total);
        var implausible = records.Where(r => r.InputTokens < 0 || r.OutputTokens < 0 || r.CachedInputTokens < 0 || r.CachedInputTokens > r.InputTokens || r.Cost < 0).ToList();
        Assert.True(implausible.Count == 0, $"{implausible.Count} records the ledger would refuse:\n" + string.Join("\n",
            implausible.Take(10).Select(r => $"{r.RequestId} [{_mutations.GetValueOrDefault(r.RequestId)}] input {r.InputTokens} cached {r.CachedInputTokens} output {r.OutputTokens} cost {r.Cost}")));

        // The unmutated answers were metered as the provider reported them.
        foreach (var r in records.Where(r => _mutations.GetValueOrDefault(r.RequestId) == "none")) Assert.False(r.Estimated, $"{r.RequestId} was estimated");

        Fuzzing.AssertNoErrorsLogged(logs);
    }
}
