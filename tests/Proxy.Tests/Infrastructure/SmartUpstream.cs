using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Tests.Infrastructure;

/// <summary>
/// A fake provider speaking OpenAI, Azure OpenAI, Anthropic, KServe v2 and realtime, steered by
/// request headers the proxy passes through (like MockLlm's knobs): <c>x-test-status</c> forces
/// an error status, <c>x-test-gate</c> holds a stream after its first chunk until the test opens
/// the gate, <c>x-test-hang</c> waits for the client to go away (and records that it did),
/// <c>x-test-long-content: N</c> puts N more characters into a stream's second chunk (sent in pieces),
/// <c>x-test-provider-headers</c> adds every header a provider may send that the gateway must not
/// pass on (<see cref="ProviderOnlyHeaders"/>, in mixed case) and one it must (<c>openai-processing-ms</c>).
/// </summary>
internal static class SmartUpstream
{
    public static ConcurrentDictionary<string, TaskCompletionSource> Gates { get; } = new();

    public static ConcurrentDictionary<string, TaskCompletionSource> Aborted { get; } = new();

    public static Task<FakeUpstream> StartAsync() => FakeUpstream.StartAsync(HandleAsync);

    /// <summary>Response headers that describe the provider account or session, never the caller's: the gateway drops them.</summary>
    public static readonly string[] ProviderOnlyHeaders =
    [
        "Set-Cookie", "OpenAI-Organization", "openai-project", "Request-Id", "x-request-id",
        "X-RateLimit-Limit-Requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
        "x-ratelimit-limit-tokens", "X-RATELIMIT-REMAINING-TOKENS", "x-ratelimit-reset-tokens",
        "anthropic-ratelimit-requests-limit", "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset",
        "Anthropic-RateLimit-Tokens-Limit", "anthropic-ratelimit-tokens-remaining", "anthropic-ratelimit-tokens-reset",
        "anthropic-ratelimit-input-tokens-limit", "anthropic-ratelimit-input-tokens-remaining", "anthropic-ratelimit-input-tokens-reset",
        "anthropic-ratelimit-output-tokens-limit", "anthropic-ratelimit-output-tokens-remaining", "anthropic-ratelimit-output-tokens-reset",
    ];

    public static async Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        if (request.Header("x-test-provider-headers") is not null)
        {
            foreach (var name in ProviderOnlyHeaders) context.Response.Headers.Append(name, "from-upstream");
            context.Response.Headers["openai-processing-ms"] = "42";
        }
        if (request.Header("x-test-status") is { } forced)
        {
            var status = int.Parse(forced, System.Globalization.CultureInfo.InvariantCulture);
            context.Response.StatusCode = status;
            if (status == 429) context.Response.Headers.RetryAfter = "7";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(request.PathAndQuery.StartsWith("/v1/messages", StringComparison.Ordinal)
                ? """{"type":"error","error":{"type":"invalid_request_error","message":"forced by test"}}"""
                : """{"error":{"message":"forced by test","type":"invalid_request_error","param":"messages","code":"forced"}}""");
            return;
        }
        if (request.Header("x-test-hang") is { } hang)
        {
            var aborted = Aborted.GetOrAdd(hang, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\n");
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                aborted.TrySetResult();
            }
            return;
        }

        var path = context.Request.Path.Value!;
        if (context.WebSockets.IsWebSocketRequest)
        {
            await RealtimeAsync(context);
            return;
        }
        using var body = request.Body.Length > 0 ? JsonDocument.Parse(request.Body) : JsonDocument.Parse("{}");
        var root = body.RootElement;
        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "none";

        if (path == "/v1/messages")
        {
            if (stream) await AnthropicStreamAsync(context, model, request);
            else await JsonAsync(context, $$$$"""{"id":"msg_1","type":"message","role":"assistant","model":"{{{{model}}}}","content":[{"type":"text","text":"Hello from Claude"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":5}}""");
            return;
        }
        if (path.StartsWith("/v2/models/", StringComparison.Ordinal))
        {
            await JsonAsync(context, """{"model_name":"scorer-upstream","outputs":[{"name":"score","datatype":"FP32","shape":[1,1],"data":[0.25]}]}""");
            return;
        }
        if (path.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            await JsonAsync(context, $$$$"""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2,0.3]}],"model":"{{{{model}}}}","usage":{"prompt_tokens":3,"total_tokens":3}}""");
            return;
        }
        if (path.EndsWith("/responses", StringComparison.Ordinal))
        {
            await JsonAsync(context, $$$$"""{"id":"resp_1","object":"response","model":"{{{{model}}}}","status":"completed","output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Hi"}]}],"usage":{"input_tokens":5,"output_tokens":2,"total_tokens":7}}""");
            return;
        }
        if (stream)
        {
            var includeUsage = root.TryGetProperty("stream_options", out var o) && o.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;
            var longContent = int.TryParse(request.Header("x-test-long-content"), out var n) ? n : 0;
            await ChatStreamAsync(context, model, includeUsage, request.Header("x-test-gate"), longContent);
            return;
        }
        await JsonAsync(context, $$$$"""{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"{{{{model}}}}","choices":[{"index":0,"message":{"role":"assistant","content":"Hi there"},"finish_reason":"stop"}],"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18,"prompt_tokens_details":{"cached_tokens":3}}}""");
    }

    private static async Task JsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    private static async Task ChatStreamAsync(HttpContext context, string model, bool includeUsage, string? gate, int longContent)
    {
        context.Response.ContentType = "text/event-stream";
        var usageNull = includeUsage ? ",\"usage\":null" : "";
        async Task Send(string data)
        {
            // A long event goes out in pieces of 1,000 bytes, each flushed, so the proxy reads it in parts.
            var sseEvent = $"data: {data}\n\n";
            for (var at = 0; at < sseEvent.Length; at += 1000)
            {
                await context.Response.WriteAsync(sseEvent.Substring(at, Math.Min(1000, sseEvent.Length - at)));
                await context.Response.Body.FlushAsync();
            }
        }
        await Send($$$$"""{"id":"c1","object":"chat.completion.chunk","created":1,"model":"{{{{model}}}}","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]{{{{usageNull}}}}}""");
        if (gate is not null) await Gates.GetOrAdd(gate, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        await Send($$$$"""{"id":"c1","object":"chat.completion.chunk","created":1,"model":"{{{{model}}}}","choices":[{"index":0,"delta":{"content":"lo{{{{new string('x', longContent)}}}}"},"finish_reason":null}]{{{{usageNull}}}}}""");
        await Send($$$$"""{"id":"c1","object":"chat.completion.chunk","created":1,"model":"{{{{model}}}}","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]{{{{usageNull}}}}}""");
        if (includeUsage) await Send($$$$"""{"id":"c1","object":"chat.completion.chunk","created":1,"model":"{{{{model}}}}","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}""");
        await Send("[DONE]");
    }

    private static async Task AnthropicStreamAsync(HttpContext context, string model, RecordedRequest request)
    {
        context.Response.ContentType = "text/event-stream";
        async Task Send(string name, string data)
        {
            await context.Response.WriteAsync($"event: {name}\ndata: {data}\n\n");
            await context.Response.Body.FlushAsync();
        }
        await Send("message_start", $$$$"""{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"{{{{model}}}}","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}""");
        await Send("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""");
        await Send("ping", """{"type":"ping"}""");
        await Send("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}""");
        await Send("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}""");
        await Send("content_block_stop", """{"type":"content_block_stop","index":0}""");
        await Send("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}}""");
        await Send("message_stop", """{"type":"message_stop"}""");
    }

    private static async Task RealtimeAsync(HttpContext context)
    {
        var protocol = context.WebSockets.WebSocketRequestedProtocols.Contains("realtime") ? "realtime" : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        var buffer = new byte[8192];
        await SendAsync(socket, """{"type":"session.created","session":{"id":"sess_1"}}""");
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }
            await SendAsync(socket, """{"type":"response.text.delta","delta":"Hey"}""");
            await SendAsync(socket, """{"type":"response.done","response":{"status":"completed","usage":{"total_tokens":6,"input_tokens":4,"output_tokens":2,"input_token_details":{"cached_tokens":1}}}}""");
        }
    }

    private static Task SendAsync(WebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);
}
