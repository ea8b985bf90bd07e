using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Proxy.Tests.Infrastructure;
using Gateway.Testing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Tests;

/// <summary>
/// Bad input, in bulk: valid requests of every client format (OpenAI chat, completions, embeddings
/// and responses, Anthropic messages, Azure OpenAI, KServe v2; plain, streamed and translated
/// between formats), each mutated at random — a value of the wrong type, a missing or extra
/// property, deep nesting, huge numbers, a cut-off or non-JSON body — and sent through a proxy
/// whose every policy is on (a key with request, token and concurrency limits, subscriptions with
/// token and money budgets). Every answer must be the upstream's or a gateway error in the
/// documented format, never a 5xx of the gateway's own; streams must end cleanly; afterwards no
/// reservation may be left outstanding, no error may have been logged, and the ledger must hold
/// exactly one record for each request that reached the upstream and none for the others.
/// The mutations are the same on every run; <c>FUZZ_SEED=n</c> picks another sequence to explore.
/// </summary>
public sealed class MalformedBodyTests : IAsyncLifetime
{
    private const int MutationsPerSeed = 120;
    private FakeUpstream _upstream = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _upstream = await FakeUpstream.StartAsync(TolerantAsync);

    public async ValueTask DisposeAsync() => await _upstream.DisposeAsync();

    /// <summary>
    /// The provider stand-in, as a provider answers what it cannot read: a 400 in OpenAI's error
    /// shape (or Anthropic's on <c>/v1/messages</c>), instead of the test upstream's exception.
    /// </summary>
    private static async Task TolerantAsync(HttpContext context, RecordedRequest request)
    {
        try
        {
            await SmartUpstream.HandleAsync(context, request);
        }
        catch (Exception) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(request.PathAndQuery.StartsWith("/v1/messages", StringComparison.Ordinal)
                ? """{"type":"error","error":{"type":"invalid_request_error","message":"unreadable body"}}"""
                : """{"error":{"message":"unreadable body","type":"invalid_request_error","param":null,"code":null}}""");
        }
    }

    /// <summary>A valid request per route, model and mode: what the mutations start from.</summary>
    private static readonly (string Path, string Body)[] Seeds =
    [
        ("/v1/chat/completions", """{"model":"chat","messages":[{"role":"system","content":"Be brief"},{"role":"user","content":[{"type":"text","text":"Hello"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},{"role":"tool","tool_call_id":"c1","content":"42"}],"tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object","properties":{"a":{"type":"integer"}}}}}],"max_tokens":50,"temperature":0.2}"""),
        ("/v1/chat/completions", """{"model":"chat","messages":[{"role":"user","content":"Hello"}],"max_completion_tokens":40,"stream":true,"stream_options":{"include_usage":true}}"""),
        ("/v1/chat/completions", """{"model":"claude","messages":[{"role":"system","content":"Be brief"},{"role":"user","content":"Hello"}],"max_tokens":50,"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]}"""),
        ("/v1/chat/completions", """{"model":"claude","messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}],"max_tokens":50,"stream":true,"stream_options":{"include_usage":true}}"""),
        ("/v1/messages", """{"model":"claude","max_tokens":50,"system":"Be brief","messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{"a":1}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"42"}]}]}"""),
        ("/v1/messages", """{"model":"claude","max_tokens":50,"messages":[{"role":"user","content":"Hi"}],"stream":true}"""),
        ("/v1/messages", """{"model":"chat","max_tokens":50,"system":[{"type":"text","text":"Be brief"}],"messages":[{"role":"user","content":"Hi"}]}"""),
        ("/v1/messages", """{"model":"chat","max_tokens":50,"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}],"stream":true}"""),
        ("/v1/completions", """{"model":"legacy","prompt":["Say this","and that"],"max_tokens":20}"""),
        ("/v1/embeddings", """{"model":"embed","input":["a","b"],"encoding_format":"float"}"""),
        ("/v1/responses", """{"model":"chat","instructions":"Be brief","input":[{"role":"user","content":[{"type":"input_text","text":"Hi"}]}],"max_output_tokens":30}"""),
        ("/openai/deployments/azure-chat/chat/completions?api-version=2024-10-21", """{"messages":[{"role":"user","content":"Hi"}],"max_tokens":20}"""),
        ("/v2/models/scorer/infer", """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1.0,2.0]}]}"""),
    ];

    [Fact]
    public async Task MutatedBodies_GetTheUpstreamsAnswerOrADocumentedError_AndLeaveNoStateBehind()
    {
        var (proxy, logs) = await Fuzzing.StartAsync(Fuzzing.EveryPolicy(TestWorld.Snapshot(_upstream.Url, canaryPercent: 0)));
        await using var _ = proxy;
        var cases = new List<(string Path, string Body, string Mutation)>();
        var random = new Random(JsonMutator.Seed);
        foreach (var (path, body) in Seeds)
        {
            cases.Add((path, body, "none"));
            for (var i = 0; i < MutationsPerSeed; i++)
            {
                var (mutated, mutation) = Mutator.Mutate(body, random);
                cases.Add((path, mutated, mutation));
            }
        }

        var failures = new ConcurrentQueue<string>();
        var answered = new ConcurrentDictionary<string, HttpStatusCode>();
        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (index, ct) =>
        {
            var (path, body, mutation) = cases[index];
            var requestId = $"fuzz-{index:D5}";
            try
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                message.Headers.Add("x-request-id", requestId);
                using var response = await proxy.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
                var text = await response.Content.ReadAsStringAsync(ct); // a stream the gateway broke throws here
                answered[requestId] = response.StatusCode;
                if (Problem(path, response, text) is { } problem) failures.Enqueue($"{path} [{mutation}] {body} → {(int)response.StatusCode}: {problem}: {Cut(text)}");
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                failures.Enqueue($"{path} [{mutation}] {body} → the connection failed: {ex.Message}");
            }
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} requests were mishandled:\n" + string.Join("\n", failures.Take(15)));
        // The unmutated seeds all go through: the harness itself works.
        for (var i = 0; i < Seeds.Length; i++) Assert.Equal(HttpStatusCode.OK, answered[$"fuzz-{i * (MutationsPerSeed + 1):D5}"]);

        var reached = _upstream.Requests.Select(r => r.Header("x-request-id")).Where(id => id is not null && id.StartsWith("fuzz-", StringComparison.Ordinal)).ToHashSet();
        Assert.True(reached.Count > cases.Count / 4, $"only {reached.Count} of {cases.Count} requests reached the upstream: the mutations reject too much to test the relay");
        var recorded = (await Fuzzing.LedgerAsync(proxy, reached.Count)).Select(r => r.RequestId).ToHashSet();
        Assert.DoesNotContain(reached, id => !recorded.Contains(id!)); // lost
        Assert.DoesNotContain(recorded, id => !reached.Contains(id)); // recorded without reaching a provider

        Fuzzing.AssertNoErrorsLogged(logs);
    }

    /// <summary>What is wrong with an answer, or null: a gateway 5xx, an error not in the documented shape, a 200 that is not what was asked.</summary>
    private static string? Problem(string path, HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        if (status >= 500) return "a 5xx";
        var eventStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        if (status == 200 && eventStream)
        {
            return text.Contains("data: [DONE]", StringComparison.Ordinal) || text.Contains("event: message_stop", StringComparison.Ordinal) ? null : "a stream that did not end";
        }
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            return "not JSON";
        }
        if (status == 200) return root.ValueKind == JsonValueKind.Object ? null : "not a JSON object";
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object) return "no error object";
        if (!error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String) return "no error message";
        if (!error.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String) return "no error type";
        if (path.StartsWith("/v1/messages", StringComparison.Ordinal) && !(root.TryGetProperty("type", out var top) && top.ValueEquals("error"))) return "not Anthropic's error shape";
        return null;
    }

    private static string Cut(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>Property names the mutations add: the ones the gateway reads, in every format.</summary>
    private static readonly JsonMutator Mutator = new(
    [
        "model", "messages", "role", "content", "type", "text", "stream", "stream_options", "include_usage", "max_tokens",
        "max_completion_tokens", "max_output_tokens", "tools", "tool_choice", "tool_calls", "function", "name", "arguments",
        "input", "prompt", "system", "instructions", "n", "image_url", "url", "inputs", "data", "shape", "usage", "parameters",
    ]);
}
