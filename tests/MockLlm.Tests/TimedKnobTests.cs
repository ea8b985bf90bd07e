using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Gateway.MockLlm.Tests;

/// <summary>Knobs that involve time, on a fake clock: ordering, never wall-clock measurements.</summary>
public sealed class TimedKnobTests(FakeClockHost host) : IClassFixture<FakeClockHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Chat = """{"model":"gpt-4o","messages":[{"role":"user","content":"Hello"}]}""";
    private const string StreamChat = """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hello"}]}""";

    [Fact]
    public async Task Delay_HoldsTheFirstByte_UntilTheClockHasPassedIt()
    {
        var delayed = host.Http.SendAsync(host.Post("/v1/chat/completions", Chat, null, ("x-mock-delay-ms", "5000")), HttpCompletionOption.ResponseHeadersRead, Ct);
        using (var prompt = await host.Http.SendAsync(host.Post("/v1/chat/completions", Chat), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, prompt.StatusCode);
        }
        Assert.False(delayed.IsCompleted, "the delayed request answered before its delay elapsed on the clock");

        var advanced = await host.AdvanceUntilAsync(delayed);
        Assert.True(advanced >= TimeSpan.FromSeconds(5));
        using var response = await delayed;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ChunkDelay_PacesContentChunks_OnTheClock()
    {
        using var response = await host.Http.SendAsync(host.Post("/v1/chat/completions", StreamChat, null,
            ("x-mock-output-tokens", "6"), ("x-mock-chunks", "3"), ("x-mock-chunk-delay-ms", "1000")), HttpCompletionOption.ResponseHeadersRead, Ct);
        await using var events = Sse.ReadAsync(response).GetAsyncEnumerator(Ct);
        Assert.True(await events.MoveNextAsync()); // role chunk
        Assert.True(await events.MoveNextAsync()); // first content chunk: no pause before it

        var next = events.MoveNextAsync().AsTask();
        using (var other = await host.Http.SendAsync(host.Post("/v1/chat/completions", Chat), Ct)) { }
        Assert.False(next.IsCompleted, "the second chunk came before the chunk delay elapsed on the clock");
        await host.AdvanceUntilAsync(next);
        Assert.True(await next);
        var remaining = 0;
        var pending = events.MoveNextAsync().AsTask();
        await host.AdvanceUntilAsync(pending);
        while (await pending)
        {
            remaining++;
            pending = events.MoveNextAsync().AsTask();
            await host.AdvanceUntilAsync(pending);
        }
        Assert.Equal(3, remaining); // third content chunk, finish chunk, [DONE]
    }

    [Fact]
    public async Task ClientAbort_MidStream_TallyCountsOnlyTheTokensSent()
    {
        var requestId = "abort-" + Guid.NewGuid().ToString("N");
        var response = await host.Http.SendAsync(host.Post("/v1/chat/completions", StreamChat, requestId,
            ("x-mock-output-tokens", "8"), ("x-mock-chunks", "4"), ("x-mock-chunk-delay-ms", "60000")), HttpCompletionOption.ResponseHeadersRead, Ct);
        var received = 0;
        await using (var events = Sse.ReadAsync(response).GetAsyncEnumerator(Ct))
        {
            Assert.True(await events.MoveNextAsync());
            Assert.True(await events.MoveNextAsync());
            received = Tokens.Count(events.Current.Json.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()!);
        }
        response.Dispose(); // the client goes away while MockLlm waits to send the second chunk

        var tally = await host.TallyAsync(requestId);
        Assert.Equal(2, received);
        Assert.Equal(received, tally.GetProperty("completion_tokens").GetInt32());
        Assert.False(tally.GetProperty("completed").GetBoolean());
        Assert.False(tally.GetProperty("usage_reported").GetBoolean());
    }

    [Fact]
    public async Task Tally_ListsTotals_AndDeleteResetsIt()
    {
        var id = "totals-" + Guid.NewGuid().ToString("N");
        using (await host.Http.SendAsync(host.Post("/v1/chat/completions", Chat, id), Ct)) { }
        var entry = await host.TallyAsync(id);

        var all = await host.Http.GetFromJsonAsync<JsonElement>("/_mock/tally", Ct);
        Assert.Equal(entry.GetProperty("completion_tokens").GetInt32(), all.GetProperty("requests").GetProperty(id).GetProperty("completion_tokens").GetInt32());
        long sum = 0;
        foreach (var request in all.GetProperty("requests").EnumerateObject()) sum += request.Value.GetProperty("completion_tokens").GetInt64();
        Assert.Equal(sum, all.GetProperty("totals").GetProperty("completion_tokens").GetInt64());

        using var reset = await host.Http.DeleteAsync("/_mock/tally", Ct);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        using var gone = await host.Http.GetAsync($"/_mock/tally/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var empty = await host.Http.GetFromJsonAsync<JsonElement>("/_mock/tally", Ct);
        Assert.Equal(0, empty.GetProperty("totals").GetProperty("requests").GetInt32());
    }
}
