using System.Text.Json;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;
using Gateway.MockLlm.Knobs;
using Gateway.MockLlm.Tally;

namespace Gateway.MockLlm.OpenAI;

internal static partial class ChatCompletionsEndpoint
{
    /// <summary>
    /// OpenAI's chunk sequence: a role chunk, content chunks, a finish chunk with an empty delta,
    /// then — only with <c>stream_options.include_usage</c> — a usage chunk with <c>choices: []</c>
    /// (earlier chunks then carry <c>"usage": null</c>), then <c>data: [DONE]</c>.
    /// </summary>
    private static async Task StreamAsync(HttpContext context, MockLlmCore core, MockKnobs knobs, TallyEntry tally,
        Completion completion, ChunkHead head, UsageFigures usage, bool includeUsage)
    {
        var usageChunk = includeUsage && !knobs.OmitUsage;
        var state = new ChunkState(head, usageChunk);
        await using var sse = new SseWriter(context, knobs.DropAfterChunks is not null);

        var json = sse.Begin();
        WriteChunkStart(json, state);
        json.WriteStartObject("delta"u8);
        json.WriteString("role"u8, "assistant"u8);
        json.WriteString("content"u8, ""u8);
        json.WriteNull("refusal"u8);
        json.WriteEndObject();
        WriteChunkEnd(json, state, finishReason: null);
        if (!await sse.EndAsync()) return;

        var outcome = await ChunkLoop.RunAsync(context, sse, core, completion, knobs, tally, null, state,
            static (Utf8JsonWriter json, in ChunkState state, ReadOnlySpan<byte> text) =>
            {
                WriteChunkStart(json, state);
                json.WriteStartObject("delta"u8);
                json.WriteString("content"u8, text);
                json.WriteEndObject();
                WriteChunkEnd(json, state, finishReason: null);
            });
        if (outcome != StreamOutcome.Completed) return;

        json = sse.Begin();
        WriteChunkStart(json, state);
        json.WriteStartObject("delta"u8);
        json.WriteEndObject();
        WriteChunkEnd(json, state, head.FinishReason);
        if (!await sse.EndAsync()) return;

        if (usageChunk)
        {
            json = sse.Begin();
            json.WriteStartObject();
            WriteHead(json, head);
            json.WriteStartArray("choices"u8);
            json.WriteEndArray();
            WriteUsage(json, usage);
            json.WriteEndObject();
            if (!await sse.EndAsync()) return;
            tally.MarkUsageReported();
        }
        if (await sse.DoneAsync()) tally.Finish(StatusCodes.Status200OK, completed: true);
    }

    private readonly record struct ChunkState(ChunkHead Head, bool UsageNulls);

    private static void WriteHead(Utf8JsonWriter json, in ChunkHead head)
    {
        json.WriteString("id"u8, head.Id);
        json.WriteString("object"u8, "chat.completion.chunk"u8);
        json.WriteNumber("created"u8, head.Created);
        json.WriteString("model"u8, head.Model);
        json.WriteString("service_tier"u8, "default"u8);
        json.WriteString("system_fingerprint"u8, SystemFingerprint);
    }

    private static void WriteChunkStart(Utf8JsonWriter json, in ChunkState state)
    {
        json.WriteStartObject();
        WriteHead(json, state.Head);
        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, 0);
    }

    private static void WriteChunkEnd(Utf8JsonWriter json, in ChunkState state, string? finishReason)
    {
        json.WriteNull("logprobs"u8);
        if (finishReason is null) json.WriteNull("finish_reason"u8); else json.WriteString("finish_reason"u8, finishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        if (state.UsageNulls) json.WriteNull("usage"u8);
        json.WriteEndObject();
    }
}
