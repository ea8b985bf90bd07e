using System.Text.Json;
using Gateway.MockLlm.Http;

namespace Gateway.MockLlm.Tally;

/// <summary><c>GET /_mock/tally</c>, <c>GET /_mock/tally/{requestId}</c>, <c>DELETE /_mock/tally</c>.</summary>
internal static class TallyEndpoints
{
    public static void MapTally(this IEndpointRouteBuilder app)
    {
        app.MapGet("/_mock/tally", GetAllAsync);
        app.MapGet("/_mock/tally/{requestId}", GetOneAsync);
        app.MapDelete("/_mock/tally", Reset);
    }

    private static async Task GetAllAsync(HttpContext context)
    {
        var store = context.RequestServices.GetRequiredService<TallyStore>();
        var json = JsonResponse.Start(context);
        long requests = 0, prompt = 0, cached = 0, completion = 0, completed = 0, inFlight = 0;
        json.WriteStartObject();
        json.WriteStartObject("requests"u8);
        foreach (var (id, entry) in store.Entries)
        {
            var snapshot = entry.Snapshot();
            json.WritePropertyName(id);
            Write(json, snapshot);
            requests++;
            prompt += snapshot.PromptTokens;
            cached += snapshot.CachedTokens;
            completion += snapshot.CompletionTokens;
            if (snapshot.Completed) completed++;
            inFlight += snapshot.InFlight;
        }
        json.WriteEndObject();
        json.WriteStartObject("totals"u8);
        json.WriteNumber("requests"u8, requests);
        json.WriteNumber("prompt_tokens"u8, prompt);
        json.WriteNumber("cached_tokens"u8, cached);
        json.WriteNumber("completion_tokens"u8, completion);
        json.WriteNumber("total_tokens"u8, prompt + completion);
        json.WriteNumber("completed"u8, completed);
        json.WriteNumber("incomplete"u8, requests - completed);
        json.WriteNumber("in_flight"u8, inFlight);
        json.WriteEndObject();
        json.WriteEndObject();
        await JsonResponse.FinishAsync(context, json);
    }

    private static async Task GetOneAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["requestId"]!;
        var store = context.RequestServices.GetRequiredService<TallyStore>();
        if (!store.TryGet(id, out var entry))
        {
            throw new MockHttpException(StatusCodes.Status404NotFound, $"No tally for request id '{id}'.", "requestId");
        }
        var json = JsonResponse.Start(context);
        Write(json, entry.Snapshot(), id);
        await JsonResponse.FinishAsync(context, json);
    }

    private static Task Reset(HttpContext context)
    {
        context.RequestServices.GetRequiredService<TallyStore>().Clear();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static void Write(Utf8JsonWriter json, in TallySnapshot s, string? requestId = null)
    {
        json.WriteStartObject();
        if (requestId is not null) json.WriteString("request_id"u8, requestId);
        json.WriteString("endpoint"u8, s.Endpoint);
        json.WriteString("model"u8, s.Model);
        json.WriteBoolean("streamed"u8, s.Streamed);
        json.WriteNumber("prompt_tokens"u8, s.PromptTokens);
        json.WriteNumber("cached_tokens"u8, s.CachedTokens);
        json.WriteNumber("completion_tokens"u8, s.CompletionTokens);
        json.WriteBoolean("usage_reported"u8, s.UsageReported);
        json.WriteBoolean("completed"u8, s.Completed);
        json.WriteNumber("status"u8, s.Status);
        json.WriteNumber("attempts"u8, s.Attempts);
        json.WriteNumber("in_flight"u8, s.InFlight);
        json.WriteEndObject();
    }
}
