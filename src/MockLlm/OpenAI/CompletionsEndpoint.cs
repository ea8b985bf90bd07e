using System.Text.Json;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;
using Gateway.MockLlm.Knobs;
using Gateway.MockLlm.Tally;

namespace Gateway.MockLlm.OpenAI;

/// <summary><c>POST /v1/completions</c> (legacy text completions): JSON or SSE. One choice whatever the prompt's shape.</summary>
internal static class CompletionsEndpoint
{
    public const string Endpoint = "completions";

    public static async Task HandleAsync(HttpContext context)
    {
        var core = context.RequestServices.GetRequiredService<MockLlmCore>();
        core.Keys.Demand(context, Provider.OpenAI);
        var knobs = core.Knobs(context);
        string model;
        int promptTokens;
        bool stream, includeUsage;
        int? maxTokens;
        ulong seed;
        using (var body = await JsonBody.ReadAsync(context))
        {
            var root = body.Root;
            model = Json.RequiredString(root, "model", "model");
            var prompt = Json.Get(root, "prompt");
            promptTokens = TextInputs.Count(prompt, "prompt", core.Tokens).Tokens;
            stream = Json.OptionalBool(root, "stream", "stream");
            var streamOptions = Json.OptionalObject(root, "stream_options", "stream_options");
            includeUsage = Json.Has(streamOptions) && Json.OptionalBool(streamOptions, "include_usage", "stream_options.include_usage");
            if (Json.Has(streamOptions) && !stream) throw new MockHttpException(400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
            maxTokens = Json.OptionalInt(root, "max_tokens", "max_tokens", 1);
            var s = new RequestSeed("completions");
            s.Add(model);
            s.Add(prompt);
            seed = s.Value;
        }

        await core.DelayAsync(knobs.DelayMs, context.RequestAborted);
        if (await core.TryForcedErrorAsync(context, Provider.OpenAI, knobs, Endpoint, model, stream)) return;

        var completion = core.Completions.Create(seed, knobs, maxTokens, out var capped);
        var cached = Math.Min(knobs.CachedTokens, promptTokens);
        var usage = new UsageFigures(promptTokens, cached, completion.Tokens);
        var tally = core.Tally.Begin(context, Endpoint, model, stream);
        tally.AddPrompt(promptTokens, cached);
        var head = new ChunkHead(ResponseIds.For("cmpl-", context.RequestId()), core.UnixNow, model, capped ? "length" : "stop");

        if (stream)
        {
            await StreamAsync(context, core, knobs, tally, completion, head, usage, includeUsage && !knobs.OmitUsage);
            return;
        }
        if (await core.TryDropJsonAsync(context, knobs, tally)) return;
        var json = JsonResponse.Start(context);
        WriteStart(json, head);
        using (var text = completion.RentAll())
        {
            WriteChoice(json, text.Span, head.FinishReason);
        }
        json.WriteEndArray();
        if (!knobs.OmitUsage) ChatCompletionsEndpoint.WriteUsage(json, usage);
        json.WriteEndObject();
        if (await JsonResponse.FinishAsync(context, json))
        {
            tally.AddCompletion(completion.Tokens);
            if (!knobs.OmitUsage) tally.MarkUsageReported();
            tally.Finish(StatusCodes.Status200OK, completed: true);
        }
    }

    private static async Task StreamAsync(HttpContext context, MockLlmCore core, MockKnobs knobs, TallyEntry tally,
        Completion completion, ChunkHead head, UsageFigures usage, bool usageChunk)
    {
        await using var sse = new SseWriter(context, knobs.DropAfterChunks is not null);
        if (!await sse.StartAsync()) return;
        var outcome = await ChunkLoop.RunAsync(context, sse, core, completion, knobs, tally, null, head,
            static (Utf8JsonWriter json, in ChunkHead head, ReadOnlySpan<byte> text) =>
            {
                WriteStart(json, head);
                WriteChoice(json, text, null);
                json.WriteEndArray();
                json.WriteEndObject();
            });
        if (outcome != StreamOutcome.Completed) return;

        var last = sse.Begin();
        WriteStart(last, head);
        WriteChoice(last, default, head.FinishReason);
        last.WriteEndArray();
        last.WriteEndObject();
        if (!await sse.EndAsync()) return;
        if (usageChunk)
        {
            var json = sse.Begin();
            WriteStart(json, head);
            json.WriteEndArray();
            ChatCompletionsEndpoint.WriteUsage(json, usage);
            json.WriteEndObject();
            if (!await sse.EndAsync()) return;
            tally.MarkUsageReported();
        }
        if (await sse.DoneAsync()) tally.Finish(StatusCodes.Status200OK, completed: true);
    }

    /// <summary>Writes the object's head and opens <c>choices</c>.</summary>
    private static void WriteStart(Utf8JsonWriter json, in ChunkHead head)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, head.Id);
        json.WriteString("object"u8, "text_completion"u8);
        json.WriteNumber("created"u8, head.Created);
        json.WriteString("model"u8, head.Model);
        json.WriteString("system_fingerprint"u8, ChatCompletionsEndpoint.SystemFingerprint);
        json.WriteStartArray("choices"u8);
    }

    private static void WriteChoice(Utf8JsonWriter json, ReadOnlySpan<byte> text, string? finishReason)
    {
        json.WriteStartObject();
        json.WriteString("text"u8, text);
        json.WriteNumber("index"u8, 0);
        json.WriteNull("logprobs"u8);
        if (finishReason is null) json.WriteNull("finish_reason"u8); else json.WriteString("finish_reason"u8, finishReason);
        json.WriteEndObject();
    }
}
