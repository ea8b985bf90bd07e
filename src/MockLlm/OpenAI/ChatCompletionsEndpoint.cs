using System.Text.Json;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;
using Gateway.MockLlm.Knobs;
using Gateway.MockLlm.Tally;

namespace Gateway.MockLlm.OpenAI;

/// <summary><c>POST /v1/chat/completions</c> (and Azure's deployment route): JSON or SSE.</summary>
internal static partial class ChatCompletionsEndpoint
{
    public const string Endpoint = "chat.completions";

    public static Task HandleAsync(HttpContext context) => HandleAsync(context, Provider.OpenAI, deployment: null);

    public static async Task HandleAsync(HttpContext context, Provider provider, string? deployment)
    {
        var core = context.RequestServices.GetRequiredService<MockLlmCore>();
        core.Keys.Demand(context, provider);
        var knobs = core.Knobs(context);
        ChatRequest request;
        using (var body = await JsonBody.ReadAsync(context))
        {
            request = ChatRequest.Parse(body.Root, deployment, core.Tokens);
        }

        await core.DelayAsync(knobs.DelayMs, context.RequestAborted);
        if (await core.TryForcedErrorAsync(context, provider, knobs, Endpoint, request.Model, request.Stream)) return;

        var completion = core.Completions.Create(request.Seed, knobs, request.MaxTokens, out var capped);
        var cached = Math.Min(knobs.CachedTokens, request.PromptTokens);
        var usage = new UsageFigures(request.PromptTokens, cached, completion.Tokens);
        var tally = core.Tally.Begin(context, Endpoint, request.Model, request.Stream);
        tally.AddPrompt(request.PromptTokens, cached);
        var head = new ChunkHead(ResponseIds.For("chatcmpl-", context.RequestId()), core.UnixNow, request.Model,
            capped ? "length" : "stop");

        if (request.Stream)
        {
            await StreamAsync(context, core, knobs, tally, completion, head, usage, request.IncludeUsage);
            return;
        }
        if (await core.TryDropJsonAsync(context, knobs, tally)) return;
        var json = JsonResponse.Start(context);
        WriteJson(json, head, completion, knobs.OmitUsage ? null : usage);
        if (await JsonResponse.FinishAsync(context, json))
        {
            tally.AddCompletion(completion.Tokens);
            if (!knobs.OmitUsage) tally.MarkUsageReported();
            tally.Finish(StatusCodes.Status200OK, completed: true);
        }
    }

    private static void WriteJson(Utf8JsonWriter json, in ChunkHead head, Completion completion, UsageFigures? usage)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, head.Id);
        json.WriteString("object"u8, "chat.completion"u8);
        json.WriteNumber("created"u8, head.Created);
        json.WriteString("model"u8, head.Model);
        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, 0);
        json.WriteStartObject("message"u8);
        json.WriteString("role"u8, "assistant"u8);
        using (var text = completion.RentAll())
        {
            json.WriteString("content"u8, text.Span);
        }
        json.WriteNull("refusal"u8);
        json.WriteStartArray("annotations"u8);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteNull("logprobs"u8);
        json.WriteString("finish_reason"u8, head.FinishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        if (usage is { } u) WriteUsage(json, u);
        json.WriteString("service_tier"u8, "default"u8);
        json.WriteString("system_fingerprint"u8, SystemFingerprint);
        json.WriteEndObject();
    }

    internal static ReadOnlySpan<byte> SystemFingerprint => "fp_mockllm"u8;

    /// <summary>OpenAI's chat/completions usage object.</summary>
    internal static void WriteUsage(Utf8JsonWriter json, in UsageFigures usage)
    {
        json.WriteStartObject("usage"u8);
        json.WriteNumber("prompt_tokens"u8, usage.Prompt);
        json.WriteNumber("completion_tokens"u8, usage.Completion);
        json.WriteNumber("total_tokens"u8, usage.Prompt + usage.Completion);
        json.WriteStartObject("prompt_tokens_details"u8);
        json.WriteNumber("cached_tokens"u8, usage.Cached);
        json.WriteNumber("audio_tokens"u8, 0);
        json.WriteEndObject();
        json.WriteStartObject("completion_tokens_details"u8);
        json.WriteNumber("reasoning_tokens"u8, 0);
        json.WriteNumber("audio_tokens"u8, 0);
        json.WriteNumber("accepted_prediction_tokens"u8, 0);
        json.WriteNumber("rejected_prediction_tokens"u8, 0);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

/// <summary>The fields every chunk of one answer repeats.</summary>
internal readonly record struct ChunkHead(string Id, long Created, string Model, string FinishReason);

/// <summary>Token figures of one answer: prompt (including cached), cached, completion.</summary>
internal readonly record struct UsageFigures(int Prompt, int Cached, int Completion);
