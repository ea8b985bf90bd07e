using System.Text.Json;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Knobs;
using Gateway.MockLlm.Tally;

namespace Gateway.MockLlm.Http;

internal enum StreamOutcome
{
    Completed,
    Dropped,
    ClientGone,
}

/// <summary>Writes one content event for a chunk's text.</summary>
internal delegate void ChunkEventWriter<TState>(Utf8JsonWriter json, in TState state, ReadOnlySpan<byte> text);

/// <summary>
/// The content part of every SSE stream: the completion split into <c>x-mock-chunks</c> chunks
/// at word (token) boundaries, paced by <c>x-mock-chunk-delay-ms</c>, each flushed and then
/// tallied; <c>x-mock-drop-after-chunks</c> cuts the connection after that many chunks (before
/// the finishing events when the content has fewer).
/// </summary>
internal static class ChunkLoop
{
    public static async Task<StreamOutcome> RunAsync<TState>(
        HttpContext context, SseWriter sse, MockLlmCore core, Completion completion, MockKnobs knobs,
        TallyEntry tally, byte[]? eventName, TState state, ChunkEventWriter<TState> write)
    {
        var chunks = knobs.ChunkCount(completion.Tokens);
        for (var i = 0; i < chunks; i++)
        {
            if (knobs.DropAfterChunks is { } drop && i >= drop) return Drop(tally);
            if (i > 0) await core.DelayAsync(knobs.ChunkDelayMs, context.RequestAborted);
            var start = Completion.ChunkStart(completion.Tokens, chunks, i);
            var end = Completion.ChunkStart(completion.Tokens, chunks, i + 1);
            WriteChunk(sse, completion, eventName, state, write, start, end);
            if (!await sse.EndAsync()) return StreamOutcome.ClientGone;
            tally.AddCompletion(end - start);
        }
        if (knobs.DropAfterChunks is { } last && last >= chunks)
        {
            return Drop(tally);
        }
        return StreamOutcome.Completed;
    }

    private static void WriteChunk<TState>(SseWriter sse, Completion completion, byte[]? eventName, in TState state,
        ChunkEventWriter<TState> write, int start, int end)
    {
        using var text = completion.Rent(start, end);
        var json = sse.Begin(eventName);
        write(json, state, text.Span);
    }

    /// <summary>
    /// The caller returns without writing more: the stream declared a Content-Length it never
    /// reaches (<see cref="SseWriter"/>), so Kestrel sends what was written and closes the connection.
    /// </summary>
    private static StreamOutcome Drop(TallyEntry tally)
    {
        tally.Finish(0, completed: false);
        return StreamOutcome.Dropped;
    }
}
