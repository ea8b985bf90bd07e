using System.Buffers;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Providers;
using Gateway.Proxy.Providers.Translation;

namespace Gateway.Proxy.Relay;

/// <summary>
/// The SSE relay's buffer and per-event work (kept out of the async loop so spans can be used):
/// complete events are scanned for usage and text, the injected usage chunk is dropped, and events
/// are either copied as they are or handed to a translator.
/// </summary>
internal sealed class SseState : IDisposable
{
    private readonly GatewayRequest _request;
    private readonly UpstreamPlan _plan;
    private readonly ResponseScanner _scanner;
    private readonly IStreamTranslator? _translator;
    private readonly ArrayBufferWriter<byte>? _translated;
    // Held for the whole stream (a partial event waits in it), so with many streams in flight most
    // of these buffers outlive the shared pool's few cached ones and several collections: 4 KiB, not
    // 16 (SSE events are a few hundred bytes; a longer one grows the buffer).
    internal const int InitialBufferSize = 4 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private byte[]? _scratch;
    private int _start;
    private int _end;
    private bool _sawTerminal;

    public SseState(GatewayRequest request, UpstreamPlan plan, long created)
    {
        _request = request;
        _plan = plan;
        _scanner = new ResponseScanner(request, plan.AnthropicUpstream);
        _translator = plan.Translation switch
        {
            ResponseTranslation.AnthropicToChat => new AnthropicToChatStream(created, request.BodyInfo.IncludeUsage),
            ResponseTranslation.ChatToAnthropic => new ChatToAnthropicStream(),
            _ => null,
        };
        if (_translator is not null) _translated = new ArrayBufferWriter<byte>(4096);
    }

    /// <summary>Room for the next read (compacting or growing the buffer as needed).</summary>
    public Memory<byte> FreeSpace()
    {
        if (_start > 0 && _end == _buffer.Length)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        return _buffer.AsMemory(_end);
    }

    /// <summary>Takes <paramref name="read"/> new bytes, relays every complete event; returns the bytes written.</summary>
    public long Process(int read, IBufferWriter<byte> output)
    {
        _end += read;
        long written = 0;
        while (SseEvents.TryFindEvent(_buffer.AsSpan(_start, _end - _start), out var length, out var terminator))
        {
            written += Relay(_buffer.AsSpan(_start, length), _buffer.AsSpan(_start + length, terminator), output);
            _start += length + terminator;
        }
        if (_start == _end) _start = _end = 0;
        return written;
    }

    /// <summary>The upstream closed: relays a last unterminated event; true when the stream ended properly.</summary>
    public bool Finish(IBufferWriter<byte> output)
    {
        if (_end > _start) Relay(_buffer.AsSpan(_start, _end - _start), "\n\n"u8, output);
        _start = _end = 0;
        if (_translator is null) return true;
        var ended = _translator.Complete(_translated!);
        Flush(output);
        return ended;
    }

    private long Relay(ReadOnlySpan<byte> evt, ReadOnlySpan<byte> terminator, IBufferWriter<byte> output)
    {
        SseEvents.Parse(evt, out var name, out var data, ref _scratch);
        var skip = false;
        if (!data.IsEmpty)
        {
            if (SseEvents.IsDone(data)) _sawTerminal = true;
            else if (_request.WantsText || data.IndexOf("\"usage\""u8) >= 0)
            {
                var scan = _scanner.ScanEvent(data);
                skip = _plan.StripUsageChunk && scan.IsUsageOnlyChunk;
            }
        }
        if (SseEvents.IsTerminalEvent(name)) _sawTerminal = true;

        if (_translator is not null)
        {
            if (data.IsEmpty) return 0;
            _translator.OnEvent(name, data, _translated!);
            return Flush(output);
        }
        if (skip) return 0;
        output.Write(evt);
        output.Write(terminator);
        TotalWritten += evt.Length + terminator.Length;
        return evt.Length + terminator.Length;
    }

    private long Flush(IBufferWriter<byte> output)
    {
        var count = _translated!.WrittenCount;
        if (count == 0) return 0;
        output.Write(_translated.WrittenSpan);
        _translated.ResetWrittenCount();
        TotalWritten += count;
        return count;
    }

    /// <summary>Bytes handed to the client's writer so far.</summary>
    public long TotalWritten { get; private set; }

    /// <summary>True once <c>[DONE]</c> or a terminal event passed.</summary>
    public bool SawTerminal => _sawTerminal || (_translator?.Finished ?? false);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _scanner.Dispose();
        _translator?.Dispose();
    }
}
