using System.Text.Json;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;
using Gateway.MockLlm.Knobs;
using Gateway.MockLlm.Tally;

namespace Gateway.MockLlm.OpenAI;

/// <summary><c>POST /v1/responses</c>: the response object as JSON, or its SSE event sequence.</summary>
internal static partial class ResponsesEndpoint
{
    public const string Endpoint = "responses";

    public static async Task HandleAsync(HttpContext context)
    {
        var core = context.RequestServices.GetRequiredService<MockLlmCore>();
        core.Keys.Demand(context, Provider.OpenAI);
        var knobs = core.Knobs(context);
        ResponsesRequest request;
        using (var body = await JsonBody.ReadAsync(context))
        {
            request = ResponsesRequest.Parse(body.Root, core.Tokens);
        }

        await core.DelayAsync(knobs.DelayMs, context.RequestAborted);
        if (await core.TryForcedErrorAsync(context, Provider.OpenAI, knobs, Endpoint, request.Model, request.Stream)) return;

        var completion = core.Completions.Create(request.Seed, knobs, request.MaxOutputTokens, out var capped);
        var cached = Math.Min(knobs.CachedTokens, request.PromptTokens);
        var tally = core.Tally.Begin(context, Endpoint, request.Model, request.Stream);
        tally.AddPrompt(request.PromptTokens, cached);
        var requestId = context.RequestId();
        var state = new ResponseState(
            ResponseIds.For("resp_", requestId), ResponseIds.For("msg_", requestId), core.UnixNow, request,
            capped, knobs.OmitUsage ? null : new UsageFigures(request.PromptTokens, cached, completion.Tokens));

        if (request.Stream)
        {
            await StreamAsync(context, core, knobs, tally, completion, state);
            return;
        }
        if (await core.TryDropJsonAsync(context, knobs, tally)) return;
        var json = JsonResponse.Start(context);
        using (var text = completion.RentAll())
        {
            WriteResponse(json, state, ResponsePhase.Final, text.Span);
        }
        if (await JsonResponse.FinishAsync(context, json))
        {
            tally.AddCompletion(completion.Tokens);
            if (!knobs.OmitUsage) tally.MarkUsageReported();
            tally.Finish(StatusCodes.Status200OK, completed: true);
        }
    }

    private enum ResponsePhase
    {
        InProgress,
        Final,
    }

    /// <summary>What every event of one response repeats; <see cref="Sequence"/> numbers the SSE events.</summary>
    private sealed class ResponseState(string id, string itemId, long created, ResponsesRequest request, bool capped, UsageFigures? usage)
    {
        public string Id { get; } = id;

        public string ItemId { get; } = itemId;

        public long Created { get; } = created;

        public ResponsesRequest Request { get; } = request;

        public bool Capped { get; } = capped;

        public UsageFigures? Usage { get; } = usage;

        public int Sequence { get; set; }
    }

    private static void WriteResponse(Utf8JsonWriter json, ResponseState state, ResponsePhase phase, ReadOnlySpan<byte> text)
    {
        var final = phase == ResponsePhase.Final;
        json.WriteStartObject();
        json.WriteString("id"u8, state.Id);
        json.WriteString("object"u8, "response"u8);
        json.WriteNumber("created_at"u8, state.Created);
        json.WriteString("status"u8, !final ? "in_progress"u8 : state.Capped ? "incomplete"u8 : "completed"u8);
        json.WriteNull("error"u8);
        if (final && state.Capped)
        {
            json.WriteStartObject("incomplete_details"u8);
            json.WriteString("reason"u8, "max_output_tokens"u8);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("incomplete_details"u8);
        }
        if (state.Request.Instructions is { } instructions) json.WriteString("instructions"u8, instructions); else json.WriteNull("instructions"u8);
        if (state.Request.MaxOutputTokens is { } max) json.WriteNumber("max_output_tokens"u8, max); else json.WriteNull("max_output_tokens"u8);
        json.WriteString("model"u8, state.Request.Model);
        json.WriteStartArray("output"u8);
        if (final) WriteItem(json, state, text, completed: true);
        json.WriteEndArray();
        json.WriteBoolean("parallel_tool_calls"u8, true);
        json.WriteNull("previous_response_id"u8);
        json.WriteStartObject("reasoning"u8);
        json.WriteNull("effort"u8);
        json.WriteNull("summary"u8);
        json.WriteEndObject();
        json.WriteBoolean("store"u8, false);
        json.WriteNumber("temperature"u8, 1.0);
        json.WriteStartObject("text"u8);
        json.WriteStartObject("format"u8);
        json.WriteString("type"u8, "text"u8);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteString("tool_choice"u8, "auto"u8);
        json.WriteStartArray("tools"u8);
        json.WriteEndArray();
        json.WriteNumber("top_p"u8, 1.0);
        json.WriteString("truncation"u8, "disabled"u8);
        if (final && state.Usage is { } usage) WriteUsage(json, usage); else json.WriteNull("usage"u8);
        json.WriteNull("user"u8);
        json.WriteStartObject("metadata"u8);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteItem(Utf8JsonWriter json, ResponseState state, ReadOnlySpan<byte> text, bool completed)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, state.ItemId);
        json.WriteString("type"u8, "message"u8);
        json.WriteString("status"u8, !completed ? "in_progress"u8 : state.Capped ? "incomplete"u8 : "completed"u8);
        json.WriteString("role"u8, "assistant"u8);
        json.WriteStartArray("content"u8);
        if (completed) WritePart(json, text);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WritePart(Utf8JsonWriter json, ReadOnlySpan<byte> text)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "output_text"u8);
        json.WriteString("text"u8, text);
        json.WriteStartArray("annotations"u8);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Responses usage: input_tokens (+ cached details), output_tokens (+ reasoning details), total.</summary>
    private static void WriteUsage(Utf8JsonWriter json, in UsageFigures usage)
    {
        json.WriteStartObject("usage"u8);
        json.WriteNumber("input_tokens"u8, usage.Prompt);
        json.WriteStartObject("input_tokens_details"u8);
        json.WriteNumber("cached_tokens"u8, usage.Cached);
        json.WriteEndObject();
        json.WriteNumber("output_tokens"u8, usage.Completion);
        json.WriteStartObject("output_tokens_details"u8);
        json.WriteNumber("reasoning_tokens"u8, 0);
        json.WriteEndObject();
        json.WriteNumber("total_tokens"u8, usage.Prompt + usage.Completion);
        json.WriteEndObject();
    }
}
