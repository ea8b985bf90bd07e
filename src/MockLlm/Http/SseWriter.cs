using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Gateway.MockLlm.Http;

/// <summary>
/// Writes server-sent events straight to the response's <see cref="PipeWriter"/>: an optional
/// <c>event:</c> line, a <c>data:</c> line written with one reused <see cref="Utf8JsonWriter"/>, a
/// blank line, then a flush. <see cref="EndAsync"/> reports whether the client still listens.
/// </summary>
internal sealed class SseWriter : IAsyncDisposable
{
    private readonly HttpContext _context;
    private readonly PipeWriter _output;
    private readonly Utf8JsonWriter _json;

    /// <param name="context">The request.</param>
    /// <param name="willDrop">
    /// The stream will be cut short (<c>x-mock-drop-after-chunks</c>): it declares a Content-Length
    /// it will never reach, so Kestrel sends every chunk written and then closes the connection
    /// mid-body (see <see cref="ConnectionDrop"/>).
    /// </param>
    public SseWriter(HttpContext context, bool willDrop)
    {
        _context = context;
        _output = context.Response.BodyWriter;
        _json = new Utf8JsonWriter(_output, JsonWriting.Options);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        if (willDrop) context.Response.ContentLength = ConnectionDrop.UnreachableContentLength;
    }

    /// <summary>Starts an event; write one JSON value to the returned writer, then call <see cref="EndAsync"/>.</summary>
    public Utf8JsonWriter Begin(ReadOnlySpan<byte> eventName = default)
    {
        if (!eventName.IsEmpty)
        {
            _output.Write("event: "u8);
            _output.Write(eventName);
            _output.Write("\n"u8);
        }
        _output.Write("data: "u8);
        return _json;
    }

    /// <summary>Ends the event and flushes it; false when the client is gone.</summary>
    public async ValueTask<bool> EndAsync()
    {
        _json.Flush();
        _json.Reset();
        _output.Write("\n\n"u8);
        return await FlushAsync();
    }

    /// <summary>Writes OpenAI's terminating <c>data: [DONE]</c>.</summary>
    public ValueTask<bool> DoneAsync()
    {
        _output.Write("data: [DONE]\n\n"u8);
        return FlushAsync();
    }

    /// <summary>Flushes the headers alone (the stream has started).</summary>
    public ValueTask<bool> StartAsync() => FlushAsync();

    private async ValueTask<bool> FlushAsync()
    {
        if (_context.RequestAborted.IsCancellationRequested) return false;
        try
        {
            var result = await _output.FlushAsync(_context.RequestAborted);
            return !result.IsCanceled && !result.IsCompleted && !_context.RequestAborted.IsCancellationRequested;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => _json.DisposeAsync();
}
