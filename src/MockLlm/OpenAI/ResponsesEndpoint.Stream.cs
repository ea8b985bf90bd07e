using System.Text.Json;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;
using Gateway.MockLlm.Knobs;
using Gateway.MockLlm.Tally;

namespace Gateway.MockLlm.OpenAI;

internal static partial class ResponsesEndpoint
{
    private static readonly byte[] DeltaEvent = "response.output_text.delta"u8.ToArray();

    /// <summary>
    /// response.created, response.in_progress, response.output_item.added, response.content_part.added,
    /// response.output_text.delta…, response.output_text.done, response.content_part.done,
    /// response.output_item.done, then response.completed (response.incomplete when capped).
    /// </summary>
    private static async Task StreamAsync(HttpContext context, MockLlmCore core, MockKnobs knobs, TallyEntry tally,
        Completion completion, ResponseState state)
    {
        await using var sse = new SseWriter(context, knobs.DropAfterChunks is not null);
        if (!await WriteResponseEventAsync(sse, state, "response.created"u8, ResponsePhase.InProgress, default)) return;
        if (!await WriteResponseEventAsync(sse, state, "response.in_progress"u8, ResponsePhase.InProgress, default)) return;

        var json = Begin(sse, state, "response.output_item.added"u8);
        json.WriteNumber("output_index"u8, 0);
        json.WritePropertyName("item"u8);
        WriteItem(json, state, default, completed: false);
        json.WriteEndObject();
        if (!await sse.EndAsync()) return;

        json = Begin(sse, state, "response.content_part.added"u8);
        WritePosition(json, state);
        json.WritePropertyName("part"u8);
        WritePart(json, default);
        json.WriteEndObject();
        if (!await sse.EndAsync()) return;

        var outcome = await ChunkLoop.RunAsync(context, sse, core, completion, knobs, tally, DeltaEvent, state,
            static (Utf8JsonWriter json, in ResponseState state, ReadOnlySpan<byte> text) =>
            {
                WriteEventHead(json, state, "response.output_text.delta"u8);
                WritePosition(json, state);
                json.WriteString("delta"u8, text);
                json.WriteStartArray("logprobs"u8);
                json.WriteEndArray();
                json.WriteEndObject();
            });
        if (outcome != StreamOutcome.Completed) return;

        using (var text = completion.RentAll())
        {
            json = Begin(sse, state, "response.output_text.done"u8);
            WritePosition(json, state);
            json.WriteString("text"u8, text.Span);
            json.WriteStartArray("logprobs"u8);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        if (!await sse.EndAsync()) return;

        using (var text = completion.RentAll())
        {
            json = Begin(sse, state, "response.content_part.done"u8);
            WritePosition(json, state);
            json.WritePropertyName("part"u8);
            WritePart(json, text.Span);
            json.WriteEndObject();
        }
        if (!await sse.EndAsync()) return;

        using (var text = completion.RentAll())
        {
            json = Begin(sse, state, "response.output_item.done"u8);
            json.WriteNumber("output_index"u8, 0);
            json.WritePropertyName("item"u8);
            WriteItem(json, state, text.Span, completed: true);
            json.WriteEndObject();
        }
        if (!await sse.EndAsync()) return;

        bool sent;
        using (var text = completion.RentAll())
        {
            sent = await WriteResponseEventAsync(sse, state,
                state.Capped ? "response.incomplete"u8 : "response.completed"u8, ResponsePhase.Final, text);
        }
        if (!sent) return;
        if (state.Usage is not null) tally.MarkUsageReported();
        tally.Finish(StatusCodes.Status200OK, completed: true);
    }

    private static ValueTask<bool> WriteResponseEventAsync(SseWriter sse, ResponseState state, ReadOnlySpan<byte> type,
        ResponsePhase phase, in RentedText text)
    {
        var json = Begin(sse, state, type);
        json.WritePropertyName("response"u8);
        WriteResponse(json, state, phase, phase == ResponsePhase.Final ? text.Span : default);
        json.WriteEndObject();
        return sse.EndAsync();
    }

    private static Utf8JsonWriter Begin(SseWriter sse, ResponseState state, ReadOnlySpan<byte> type)
    {
        var json = sse.Begin(type);
        WriteEventHead(json, state, type);
        return json;
    }

    private static void WriteEventHead(Utf8JsonWriter json, ResponseState state, ReadOnlySpan<byte> type)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, type);
        json.WriteNumber("sequence_number"u8, state.Sequence++);
    }

    private static void WritePosition(Utf8JsonWriter json, ResponseState state)
    {
        json.WriteString("item_id"u8, state.ItemId);
        json.WriteNumber("output_index"u8, 0);
        json.WriteNumber("content_index"u8, 0);
    }
}
