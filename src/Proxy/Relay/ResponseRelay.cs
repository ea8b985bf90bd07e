using System.Buffers;
using System.Net.Http.Headers;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Providers;
using Gateway.Proxy.Providers.Translation;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Gateway.Proxy.Relay;

/// <summary>
/// Copies a successful upstream response to the client without holding it whole: SSE event by
/// event (flushed after each read, usage chunk stripped when the proxy added it, translated when
/// the formats differ), JSON piece by piece. Usage and text are reported to the request as they
/// pass. Only a JSON response that must be translated is held whole (bounded).
/// </summary>
internal sealed partial class ResponseRelay(TimeProvider time, IOptions<ProxyOptions> options)
{
    private const int ReadSize = 16 * 1024;
    private readonly long _maxTranslated = options.Value.MaxTranslatedResponseBytes;

    public Task<RelayResult> RelayAsync(HttpContext context, GatewayRequest request, UpstreamPlan plan, HttpResponseMessage response, Stream body, TimeSpan idle)
    {
        if (IsEventStream(response.Content.Headers)) return RelaySseAsync(context, request, plan, body, idle);
        if (plan.Translation != ResponseTranslation.None) return RelayTranslatedJsonAsync(context, request, plan, body, idle);
        return RelayJsonAsync(context, request, plan, body, idle);
    }

    /// <summary>
    /// Whether the upstream's one <c>Content-Type</c> has the media type <c>text/event-stream</c>
    /// (any case, any parameters), read as sent: <c>Content.Headers.ContentType</c> would parse it
    /// into a new object on every response for the one comparison.
    /// </summary>
    internal static bool IsEventStream(HttpContentHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues(HeaderNames.ContentType, out var values) || values.Count != 1) return false;
        var mediaType = values.ToString().AsSpan(); // the one value itself
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0) mediaType = mediaType[..semicolon];
        return mediaType.Trim(" \t").Equals("text/event-stream", StringComparison.OrdinalIgnoreCase);
    }

    private async Task<RelayResult> RelayJsonAsync(HttpContext context, GatewayRequest request, UpstreamPlan plan, Stream body, TimeSpan idle)
    {
        using var reader = new UpstreamReader(body, idle, context.RequestAborted, time);
        using var scanner = new ResponseScanner(request, plan.AnthropicUpstream);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await reader.ReadAsync(buffer);
                }
                catch (Exception ex) when (IsUpstreamFailure(ex, context))
                {
                    return Dropped(context, request, request.FirstByteTimestamp is not null);
                }
                if (read == 0) return RelayResult.Completed;
                scanner.FeedJson(buffer.AsSpan(0, read));
                if (!await WriteAsync(context, request, buffer.AsMemory(0, read))) return RelayResult.ClientAborted;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return RelayResult.ClientAborted;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<RelayResult> RelayTranslatedJsonAsync(HttpContext context, GatewayRequest request, UpstreamPlan plan, Stream body, TimeSpan idle)
    {
        byte[] whole;
        try
        {
            using var reader = new UpstreamReader(body, idle, context.RequestAborted, time);
            var held = await ReadBoundedAsync(reader, _maxTranslated);
            if (held is null) return RelayResult.TooLarge;
            whole = held;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return RelayResult.ClientAborted;
        }
        catch (Exception ex) when (IsUpstreamFailure(ex, context))
        {
            return RelayResult.FailedBeforeStart;
        }
        using (var scanner = new ResponseScanner(request, plan.AnthropicUpstream)) scanner.FeedJson(whole);
        byte[] translated;
        try
        {
            translated = plan.Translation == ResponseTranslation.AnthropicToChat
                ? ResponseBodies.MessageToChatCompletion(whole, time.GetUtcNow().ToUnixTimeSeconds())
                : ResponseBodies.ChatCompletionToMessage(whole);
        }
        catch (System.Text.Json.JsonException)
        {
            return RelayResult.Invalid;
        }
        context.Response.ContentLength = translated.Length;
        context.Response.ContentType = "application/json";
        return await WriteAsync(context, request, translated) ? RelayResult.Completed : RelayResult.ClientAborted;
    }

    private async Task<RelayResult> RelaySseAsync(HttpContext context, GatewayRequest request, UpstreamPlan plan, Stream body, TimeSpan idle)
    {
        context.Response.Headers.ContentLength = null;
        if (plan.Translation != ResponseTranslation.None) context.Response.ContentType = "text/event-stream; charset=utf-8";
        using var reader = new UpstreamReader(body, idle, context.RequestAborted, time);
        using var state = new SseState(request, plan, time.GetUtcNow().ToUnixTimeSeconds());
        var output = context.Response.BodyWriter;
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await reader.ReadAsync(state.FreeSpace());
                }
                catch (Exception ex) when (IsUpstreamFailure(ex, context))
                {
                    return Dropped(context, request, state.TotalWritten > 0);
                }
                if (read == 0) break;
                long written;
                try
                {
                    written = state.Process(read, output);
                }
                catch (System.Text.Json.JsonException)
                {
                    return Dropped(context, request, state.TotalWritten > 0);
                }
                if (written > 0 && !await FlushAsync(context, request)) return RelayResult.ClientAborted;
            }
            var ended = state.Finish(output);
            if (!await FlushAsync(context, request)) return RelayResult.ClientAborted;
            if (ended) return RelayResult.Completed;
            context.Abort();
            return RelayResult.UpstreamDropped;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return RelayResult.ClientAborted;
        }
    }

    /// <summary>Reads up to <paramref name="limit"/> bytes; null when the body is longer.</summary>
    internal static async Task<byte[]?> ReadBoundedAsync(UpstreamReader reader, long limit)
    {
        var buffer = new ArrayBufferWriter<byte>(ReadSize);
        while (true)
        {
            var read = await reader.ReadAsync(buffer.GetMemory(ReadSize));
            if (read == 0) return buffer.WrittenSpan.ToArray();
            buffer.Advance(read);
            if (buffer.WrittenCount > limit) return null;
        }
    }

    private static RelayResult Dropped(HttpContext context, GatewayRequest request, bool wroteAnything)
    {
        if (!wroteAnything && !context.Response.HasStarted) return RelayResult.FailedBeforeStart;
        context.Abort();
        return RelayResult.UpstreamDropped;
    }

    private static bool IsUpstreamFailure(Exception ex, HttpContext context) =>
        !context.RequestAborted.IsCancellationRequested && ex is IOException or HttpRequestException or UpstreamIdleException or OperationCanceledException;

    private async ValueTask<bool> WriteAsync(HttpContext context, GatewayRequest request, ReadOnlyMemory<byte> data)
    {
        request.FirstByteTimestamp ??= time.GetTimestamp();
        var result = await context.Response.BodyWriter.WriteAsync(data, context.RequestAborted);
        return !result.IsCanceled && !result.IsCompleted && !context.RequestAborted.IsCancellationRequested;
    }

    private async ValueTask<bool> FlushAsync(HttpContext context, GatewayRequest request)
    {
        request.FirstByteTimestamp ??= time.GetTimestamp();
        var result = await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
        return !result.IsCanceled && !result.IsCompleted && !context.RequestAborted.IsCancellationRequested;
    }
}
