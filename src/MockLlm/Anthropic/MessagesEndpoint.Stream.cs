using System.Text.Json;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;
using Gateway.MockLlm.Knobs;
using Gateway.MockLlm.Tally;

namespace Gateway.MockLlm.Anthropic;

internal static partial class MessagesEndpoint
{
    private static readonly byte[] DeltaEvent = "content_block_delta"u8.ToArray();

    /// <summary>
    /// message_start (usage.input_tokens, cache_read_input_tokens, output_tokens 1), content_block_start,
    /// ping, content_block_delta (text_delta, or one input_json_delta for a tool call)…, content_block_stop,
    /// message_delta (stop_reason, usage.output_tokens), message_stop.
    /// </summary>
    private static async Task StreamAsync(HttpContext context, MockLlmCore core, MockKnobs knobs, TallyEntry tally,
        Completion completion, ToolInput? tool, Answer answer, string toolId)
    {
        await using var sse = new SseWriter(context, knobs.DropAfterChunks is not null);

        var json = sse.Begin("message_start"u8);
        json.WriteStartObject();
        json.WriteString("type"u8, "message_start"u8);
        json.WriteStartObject("message"u8);
        WriteMessageHead(json, answer);
        json.WriteStartArray("content"u8);
        json.WriteEndArray();
        json.WriteNull("stop_reason"u8);
        json.WriteNull("stop_sequence"u8);
        if (!answer.OmitUsage) WriteUsage(json, answer, outputTokens: 1);
        json.WriteEndObject();
        json.WriteEndObject();
        if (!await sse.EndAsync()) return;

        json = sse.Begin("content_block_start"u8);
        json.WriteStartObject();
        json.WriteString("type"u8, "content_block_start"u8);
        json.WriteNumber("index"u8, 0);
        json.WritePropertyName("content_block"u8);
        if (tool is not null)
        {
            WriteToolUse(json, toolId, tool, withInput: false);
        }
        else
        {
            json.WriteStartObject();
            json.WriteString("type"u8, "text"u8);
            json.WriteString("text"u8, ""u8);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        if (!await sse.EndAsync()) return;

        json = sse.Begin("ping"u8);
        json.WriteStartObject();
        json.WriteString("type"u8, "ping"u8);
        json.WriteEndObject();
        if (!await sse.EndAsync()) return;

        if (tool is not null)
        {
            if (knobs.DropAfterChunks is 0)
            {
                tally.Finish(0, completed: false);
                return; // the declared Content-Length is not reached: Kestrel closes the connection mid-body
            }
            json = sse.Begin(DeltaEvent);
            json.WriteStartObject();
            json.WriteString("type"u8, "content_block_delta"u8);
            json.WriteNumber("index"u8, 0);
            json.WriteStartObject("delta"u8);
            json.WriteString("type"u8, "input_json_delta"u8);
            json.WriteString("partial_json"u8, tool.Json);
            json.WriteEndObject();
            json.WriteEndObject();
            if (!await sse.EndAsync()) return;
            tally.AddCompletion(tool.OutputTokens);
            if (knobs.DropAfterChunks is not null)
            {
                tally.Finish(0, completed: false);
                return; // the declared Content-Length is not reached: Kestrel closes the connection mid-body
            }
        }
        else
        {
            var outcome = await ChunkLoop.RunAsync(context, sse, core, completion, knobs, tally, DeltaEvent, 0,
                static (Utf8JsonWriter json, in int _, ReadOnlySpan<byte> text) =>
                {
                    json.WriteStartObject();
                    json.WriteString("type"u8, "content_block_delta"u8);
                    json.WriteNumber("index"u8, 0);
                    json.WriteStartObject("delta"u8);
                    json.WriteString("type"u8, "text_delta"u8);
                    json.WriteString("text"u8, text);
                    json.WriteEndObject();
                    json.WriteEndObject();
                });
            if (outcome != StreamOutcome.Completed) return;
        }

        json = sse.Begin("content_block_stop"u8);
        json.WriteStartObject();
        json.WriteString("type"u8, "content_block_stop"u8);
        json.WriteNumber("index"u8, 0);
        json.WriteEndObject();
        if (!await sse.EndAsync()) return;

        json = sse.Begin("message_delta"u8);
        json.WriteStartObject();
        json.WriteString("type"u8, "message_delta"u8);
        json.WriteStartObject("delta"u8);
        json.WriteString("stop_reason"u8, answer.StopReason);
        json.WriteNull("stop_sequence"u8);
        json.WriteEndObject();
        if (!answer.OmitUsage)
        {
            json.WriteStartObject("usage"u8);
            json.WriteNumber("output_tokens"u8, answer.OutputTokens);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        if (!await sse.EndAsync()) return;
        if (!answer.OmitUsage) tally.MarkUsageReported();

        json = sse.Begin("message_stop"u8);
        json.WriteStartObject();
        json.WriteString("type"u8, "message_stop"u8);
        json.WriteEndObject();
        if (await sse.EndAsync()) tally.Finish(StatusCodes.Status200OK, completed: true);
    }
}
