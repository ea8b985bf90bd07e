using System.Text.Json;
using Gateway.MockLlm.Generation;
using Gateway.MockLlm.Http;
using Formula = Gateway.MockLlm.Generation.PromptTokens;

namespace Gateway.MockLlm.Realtime;

internal sealed partial class RealtimeSession
{
    /// <summary>
    /// response.created, response.output_item.added, response.content_part.added, response.text.delta…,
    /// response.text.done, response.content_part.done, response.output_item.done, response.done (with
    /// usage). The prompt is the session instructions plus every conversation item, by the formula in
    /// <see cref="PromptTokens"/>; the answer joins the conversation. False when the connection was dropped.
    /// </summary>
    private async Task<bool> CreateResponseAsync(JsonElement root)
    {
        var options = Json.OptionalObject(root, "response", "response");
        var instructions = _instructions;
        var maxTokens = _maxOutputTokens;
        if (Json.Has(options))
        {
            instructions = Json.OptionalString(options, "instructions", "response.instructions") ?? instructions;
            maxTokens = MaxTokens(options, "max_output_tokens", "response.max_output_tokens") ?? maxTokens;
        }

        var prompt = Formula.ReplyPriming;
        var seed = new RequestSeed("realtime");
        seed.Add(model);
        if (instructions.Length > 0)
        {
            prompt += Formula.PerMessage + Formula.RoleTokens + core.Tokens.Count(instructions);
            seed.Add(instructions);
        }
        foreach (var item in _items)
        {
            prompt += Formula.PerMessage + Formula.RoleTokens + item.Tokens;
            seed.Add(item.Role);
            seed.Add(item.Text);
        }

        _responding = true;
        await core.DelayAsync(knobs.DelayMs, Aborted);
        var completion = core.Completions.Create(seed.Value, knobs, maxTokens, out var capped);
        var cached = Math.Min(knobs.CachedTokens, prompt);
        tally.AddPrompt(prompt, cached);
        _responseCounter++;
        var responseId = ResponseIds.For("resp_", context.RequestId()) + "_" + _responseCounter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var itemId = ResponseIds.For("item_", context.RequestId()) + "_" + _responseCounter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = new ResponseFacts(responseId, itemId, capped, new UsageFacts(prompt, cached, completion.Tokens));

        var json = BeginEvent("response.created"u8);
        WriteResponse(json, response, "in_progress"u8, null);
        await SendAsync(json);

        json = BeginEvent("response.output_item.added"u8);
        WritePosition(json, response, content: false);
        json.WritePropertyName("item"u8);
        WriteItem(json, itemId, "assistant", "in_progress"u8, "text"u8, null);
        await SendAsync(json);

        json = BeginEvent("response.content_part.added"u8);
        WritePosition(json, response, content: true);
        WritePart(json, "");
        await SendAsync(json);

        var chunks = knobs.ChunkCount(completion.Tokens);
        for (var i = 0; i < chunks; i++)
        {
            if (knobs.DropAfterChunks is { } drop && i >= drop) return await DropAsync();
            if (i > 0) await core.DelayAsync(knobs.ChunkDelayMs, Aborted);
            var start = Completion.ChunkStart(completion.Tokens, chunks, i);
            var end = Completion.ChunkStart(completion.Tokens, chunks, i + 1);
            json = BeginEvent("response.text.delta"u8);
            WritePosition(json, response, content: true);
            using (var text = completion.Rent(start, end))
            {
                json.WriteString("delta"u8, text.Span);
            }
            await SendAsync(json);
            tally.AddCompletion(end - start);
        }
        if (knobs.DropAfterChunks is { } last && last >= chunks) return await DropAsync();

        var answer = completion.ToText();
        json = BeginEvent("response.text.done"u8);
        WritePosition(json, response, content: true);
        json.WriteString("text"u8, answer);
        await SendAsync(json);

        json = BeginEvent("response.content_part.done"u8);
        WritePosition(json, response, content: true);
        WritePart(json, answer);
        await SendAsync(json);

        json = BeginEvent("response.output_item.done"u8);
        WritePosition(json, response, content: false);
        json.WritePropertyName("item"u8);
        WriteItem(json, itemId, "assistant", capped ? "incomplete"u8 : "completed"u8, "text"u8, answer);
        await SendAsync(json);

        json = BeginEvent("response.done"u8);
        WriteResponse(json, response, capped ? "incomplete"u8 : "completed"u8, answer);
        await SendAsync(json);
        if (!knobs.OmitUsage) tally.MarkUsageReported();

        _items.Add(new ConversationItem(itemId, "assistant", answer, completion.Tokens));
        _responding = false;
        return true;
    }

    private async Task<bool> DropAsync()
    {
        _cut = true;
        tally.Finish(0, completed: false);
        await ConnectionDrop.DropAsync(context);
        return false;
    }

    private readonly record struct UsageFacts(int Input, int Cached, int Output);

    private readonly record struct ResponseFacts(string Id, string ItemId, bool Capped, UsageFacts Usage);

    private void WriteResponse(Utf8JsonWriter json, in ResponseFacts response, ReadOnlySpan<byte> status, string? text)
    {
        json.WriteStartObject("response"u8);
        json.WriteString("id"u8, response.Id);
        json.WriteString("object"u8, "realtime.response"u8);
        json.WriteString("status"u8, status);
        if (text is not null && response.Capped)
        {
            json.WriteStartObject("status_details"u8);
            json.WriteString("type"u8, "incomplete"u8);
            json.WriteString("reason"u8, "max_output_tokens"u8);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("status_details"u8);
        }
        json.WriteStartArray("output"u8);
        if (text is not null) WriteItem(json, response.ItemId, "assistant", status, "text"u8, text);
        json.WriteEndArray();
        json.WriteStartArray("modalities"u8);
        json.WriteStringValue("text"u8);
        json.WriteEndArray();
        if (text is null || knobs.OmitUsage)
        {
            json.WriteNull("usage"u8);
        }
        else
        {
            var usage = response.Usage;
            json.WriteStartObject("usage"u8);
            json.WriteNumber("total_tokens"u8, usage.Input + usage.Output);
            json.WriteNumber("input_tokens"u8, usage.Input);
            json.WriteNumber("output_tokens"u8, usage.Output);
            json.WriteStartObject("input_token_details"u8);
            json.WriteNumber("cached_tokens"u8, usage.Cached);
            json.WriteNumber("text_tokens"u8, usage.Input);
            json.WriteNumber("audio_tokens"u8, 0);
            json.WriteEndObject();
            json.WriteStartObject("output_token_details"u8);
            json.WriteNumber("text_tokens"u8, usage.Output);
            json.WriteNumber("audio_tokens"u8, 0);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WritePosition(Utf8JsonWriter json, in ResponseFacts response, bool content)
    {
        json.WriteString("response_id"u8, response.Id);
        if (content) json.WriteString("item_id"u8, response.ItemId);
        json.WriteNumber("output_index"u8, 0);
        if (content) json.WriteNumber("content_index"u8, 0);
    }

    private static void WritePart(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject("part"u8);
        json.WriteString("type"u8, "text"u8);
        json.WriteString("text"u8, text);
        json.WriteEndObject();
    }
}
