using System.Text.Json;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;
using Gateway.MockLlm.Tally;

namespace Gateway.MockLlm.Anthropic;

/// <summary>
/// Anthropic <c>POST /v1/messages</c>: JSON or SSE. Usage follows Anthropic: <c>input_tokens</c>
/// excludes the tokens read from cache (<c>cache_read_input_tokens</c>), so the prompt is their sum.
/// </summary>
internal static partial class MessagesEndpoint
{
    public const string Endpoint = "anthropic.messages";

    public static async Task HandleAsync(HttpContext context)
    {
        var core = context.RequestServices.GetRequiredService<MockLlmCore>();
        var requestId = context.RequestId();
        context.Response.Headers["request-id"] = ResponseIds.For("req_", requestId);
        core.Keys.Demand(context, Provider.Anthropic);
        var knobs = core.Knobs(context);
        MessagesRequest request;
        ToolInput? tool = null;
        using (var body = await JsonBody.ReadAsync(context))
        {
            request = MessagesRequest.Parse(body.Root, core.Tokens);
            if (request.Tool.ValueKind == JsonValueKind.Object)
            {
                tool = ToolInput.Create(request.Tool, request.Seed, core.Completions.Vocabulary, core.Tokens);
            }
        }

        await core.DelayAsync(knobs.DelayMs, context.RequestAborted);
        if (await core.TryForcedErrorAsync(context, Provider.Anthropic, knobs, Endpoint, request.Model, request.Stream)) return;

        var completion = core.Completions.Create(request.Seed, knobs, request.MaxTokens, out var capped);
        var cached = Math.Min(knobs.CachedTokens, request.PromptTokens);
        var tally = core.Tally.Begin(context, Endpoint, request.Model, request.Stream);
        tally.AddPrompt(request.PromptTokens, cached);
        var answer = new Answer(ResponseIds.For("msg_", requestId), request.Model, request.PromptTokens - cached, cached,
            tool?.OutputTokens ?? completion.Tokens, tool is not null ? "tool_use" : capped ? "max_tokens" : "end_turn",
            knobs.OmitUsage);

        if (request.Stream)
        {
            await StreamAsync(context, core, knobs, tally, completion, tool, answer, ResponseIds.For("toolu_", requestId));
            return;
        }
        if (await core.TryDropJsonAsync(context, knobs, tally)) return;
        var json = JsonResponse.Start(context);
        json.WriteStartObject();
        WriteMessageHead(json, answer);
        json.WriteStartArray("content"u8);
        if (tool is not null)
        {
            WriteToolUse(json, ResponseIds.For("toolu_", requestId), tool, withInput: true);
        }
        else
        {
            using var text = completion.RentAll();
            json.WriteStartObject();
            json.WriteString("type"u8, "text"u8);
            json.WriteString("text"u8, text.Span);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("stop_reason"u8, answer.StopReason);
        json.WriteNull("stop_sequence"u8);
        if (!answer.OmitUsage) WriteUsage(json, answer, answer.OutputTokens);
        json.WriteEndObject();
        if (await JsonResponse.FinishAsync(context, json))
        {
            tally.AddCompletion(answer.OutputTokens);
            if (!answer.OmitUsage) tally.MarkUsageReported();
            tally.Finish(StatusCodes.Status200OK, completed: true);
        }
    }

    /// <summary>The figures of one answer; <see cref="InputTokens"/> already excludes the cached tokens.</summary>
    private readonly record struct Answer(string Id, string Model, int InputTokens, int CachedTokens, int OutputTokens,
        string StopReason, bool OmitUsage);

    private static void WriteMessageHead(Utf8JsonWriter json, in Answer answer)
    {
        json.WriteString("id"u8, answer.Id);
        json.WriteString("type"u8, "message"u8);
        json.WriteString("role"u8, "assistant"u8);
        json.WriteString("model"u8, answer.Model);
    }

    private static void WriteToolUse(Utf8JsonWriter json, string id, ToolInput tool, bool withInput)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "tool_use"u8);
        json.WriteString("id"u8, id);
        json.WriteString("name"u8, tool.Name);
        json.WritePropertyName("input"u8);
        if (withInput)
        {
            json.WriteRawValue(tool.Json, skipInputValidation: true);
        }
        else
        {
            json.WriteStartObject();
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter json, in Answer answer, int outputTokens)
    {
        json.WriteStartObject("usage"u8);
        json.WriteNumber("input_tokens"u8, answer.InputTokens);
        json.WriteNumber("cache_creation_input_tokens"u8, 0);
        json.WriteNumber("cache_read_input_tokens"u8, answer.CachedTokens);
        json.WriteNumber("output_tokens"u8, outputTokens);
        json.WriteString("service_tier"u8, "standard"u8);
        json.WriteEndObject();
    }
}
