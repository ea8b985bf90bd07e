using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using OpenAI.Embeddings;
using OpenAI.Responses;

namespace Gateway.MockLlm.Tests;

/// <summary>Embeddings, Responses, legacy completions and models.</summary>
public sealed class OpenAIEndpointsTests(MockLlmFixture host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Embeddings_ThroughSdk_Base64_HonourDimensions_AndAreDeterministicUnitVectors()
    {
        var client = Clients.Embeddings(host);
        var options = new EmbeddingGenerationOptions { Dimensions = 64 };

        OpenAIEmbedding first = await client.GenerateEmbeddingAsync("The bank's fraud model", options, Ct);
        OpenAIEmbedding again = await client.GenerateEmbeddingAsync("The bank's fraud model", options, Ct);
        OpenAIEmbedding other = await client.GenerateEmbeddingAsync("Something else", options, Ct);

        var vector = first.ToFloats().ToArray();
        Assert.Equal(64, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 3);
        Assert.Equal(vector, again.ToFloats().ToArray());
        Assert.NotEqual(vector, other.ToFloats().ToArray());
    }

    [Fact]
    public async Task Embeddings_FloatAndBase64_CarryTheSameVectors_ForEveryInputShape()
    {
        foreach (var input in new[] { "\"hello\"", "[\"hello\",\"world\"]", "[1,2,3]", "[[1,2],[3]]" })
        {
            var floats = await PostJsonAsync("/v1/embeddings", $$"""{"model":"text-embedding-3-small","input":{{input}},"dimensions":8}""");
            var base64 = await PostJsonAsync("/v1/embeddings", $$"""{"model":"text-embedding-3-small","input":{{input}},"dimensions":8,"encoding_format":"base64"}""");
            var data = floats.GetProperty("data");
            Assert.Equal(data.GetArrayLength(), base64.GetProperty("data").GetArrayLength());
            for (var i = 0; i < data.GetArrayLength(); i++)
            {
                var expected = data[i].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
                var decoded = MemoryMarshal.Cast<byte, float>(base64.GetProperty("data")[i].GetProperty("embedding").GetBytesFromBase64()).ToArray();
                Assert.Equal(expected, decoded);
            }
        }
        var tokens = await PostJsonAsync("/v1/embeddings", """{"model":"e","input":[[1,2],[3]]}""");
        Assert.Equal(3, tokens.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(1536, tokens.GetProperty("data")[0].GetProperty("embedding").GetArrayLength());
    }

    [Fact]
    public async Task Responses_ThroughSdk_JsonAndStream_AgreeOnTextAndUsage()
    {
        var requestId = "responses-json-" + Guid.NewGuid().ToString("N");
        ResponseResult json = await Clients.Responses(host, requestId).CreateResponseAsync("gpt-4o", "Summarise the quarter", null, Ct);

        Assert.Equal("resp_" + requestId, json.Id);
        Assert.Equal(ResponseStatus.Completed, json.Status);
        Assert.Equal(Tokens.Count(json.GetOutputText()), json.Usage.OutputTokenCount);
        Assert.Equal(3 + 3 + 1 + Tokens.Count("Summarise the quarter"), json.Usage.InputTokenCount);
        Assert.Equal(0, json.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(0, json.Usage.OutputTokenDetails.ReasoningTokenCount);

        var streamId = "responses-stream-" + Guid.NewGuid().ToString("N");
        var text = new StringBuilder();
        ResponseResult? completed = null;
        await foreach (var update in await Clients.Responses(host, streamId).CreateResponseStreamingAsync("gpt-4o", "Summarise the quarter", null, Ct))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta) text.Append(delta.Delta);
            if (update is StreamingResponseCompletedUpdate done) completed = done.Response;
        }
        Assert.Equal(json.GetOutputText(), text.ToString());
        Assert.NotNull(completed);
        Assert.Equal(json.Usage.InputTokenCount, completed.Usage.InputTokenCount);
        Assert.Equal(json.Usage.OutputTokenCount, completed.Usage.OutputTokenCount);
        Assert.Equal(json.Usage.TotalTokenCount, completed.Usage.TotalTokenCount);
        var tally = await host.TallyAsync(streamId);
        Assert.Equal(completed.Usage.OutputTokenCount, tally.GetProperty("completion_tokens").GetInt32());
        Assert.True(tally.GetProperty("usage_reported").GetBoolean());
    }

    [Fact]
    public async Task Responses_Stream_RawWire_FollowsTheEventSequence()
    {
        using var response = await host.Http.SendAsync(host.Post("/v1/responses",
            """{"model":"gpt-4o","input":[{"role":"user","content":[{"type":"input_text","text":"hi"}]}],"stream":true}""", null, ("x-mock-chunks", "2")),
            HttpCompletionOption.ResponseHeadersRead, Ct);
        var events = await Sse.ReadAllAsync(response);

        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
            "response.output_item.done", "response.completed"], events.Select(e => e.Name).ToArray());
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal(events[i].Name, events[i].Json.GetProperty("type").GetString());
            Assert.Equal(i, events[i].Json.GetProperty("sequence_number").GetInt32());
        }
        var usage = events[^1].Json.GetProperty("response").GetProperty("usage");
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("output_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Responses_Capped_IsIncomplete()
    {
        var json = await PostJsonAsync("/v1/responses", """{"model":"gpt-4o","input":"hi","max_output_tokens":2}""", ("x-mock-output-tokens", "10"));
        Assert.Equal("incomplete", json.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", json.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal(2, json.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Completions_JsonAndStream_AgreeOnText()
    {
        const string body = """{"model":"gpt-3.5-turbo-instruct","prompt":["Once upon","a time"]}""";
        var json = await PostJsonAsync("/v1/completions", body);
        Assert.Equal("text_completion", json.GetProperty("object").GetString());
        Assert.Equal(Tokens.Count("Once upon") + Tokens.Count("a time"), json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());

        using var response = await host.Http.SendAsync(host.Post("/v1/completions", body.Replace("{\"model\"", "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\"", StringComparison.Ordinal)),
            HttpCompletionOption.ResponseHeadersRead, Ct);
        var events = await Sse.ReadAllAsync(response);
        var text = new StringBuilder();
        foreach (var e in events[..^2]) text.Append(e.Json.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.Equal(json.GetProperty("choices")[0].GetProperty("text").GetString(), text.ToString());
        Assert.Equal(json.GetProperty("usage").GetRawText(), events[^2].Json.GetProperty("usage").GetRawText());
        Assert.Equal("[DONE]", events[^1].Data);
    }

    [Fact]
    public async Task Models_ListsConfiguredModels_AndRetrievesOne()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Add("Authorization", "Bearer k");
        using var list = await host.Http.SendAsync(request, Ct);
        var data = (await list.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("data");
        Assert.Contains(data.EnumerateArray(), m => m.GetProperty("id").GetString() == "gpt-4o");

        var one = new HttpRequestMessage(HttpMethod.Get, "/v1/models/gpt-4o-mini");
        one.Headers.Add("Authorization", "Bearer k");
        using var found = await host.Http.SendAsync(one, Ct);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);

        var missing = new HttpRequestMessage(HttpMethod.Get, "/v1/models/nope");
        missing.Headers.Add("Authorization", "Bearer k");
        using var notFound = await host.Http.SendAsync(missing, Ct);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("model_not_found", (await notFound.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("code").GetString());
    }

    private async Task<JsonElement> PostJsonAsync(string path, string body, params (string, string)[] headers)
    {
        using var response = await host.Http.SendAsync(host.Post(path, body, null, headers), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
