using System.Globalization;
using System.Text;

namespace Gateway.Bench.LoadGen.Wire;

/// <summary>What a <see cref="HttpMessageParser"/> reports, each with the capture time of the segment that completed it.</summary>
internal interface IHttpMessageSink
{
    /// <summary>A message's head is complete (status 0 for a request; <paramref name="requestId"/> is its <c>x-request-id</c>).</summary>
    void Start(long timeNs, int status, string? requestId);

    /// <summary>
    /// An SSE event with a <c>data:</c> line ended in the body: <paramref name="kind"/> tells
    /// <c>data: [DONE]</c> and a usage-only chunk (<c>"choices":[]</c>, which a gateway that asked
    /// the upstream for usage withholds from a client that did not) from the rest.
    /// </summary>
    void Event(long timeNs, SseEventKind kind);

    /// <summary>The message's last byte arrived.</summary>
    void Complete(long timeNs);

    /// <summary>The message cannot be followed to its end (bytes missing from the capture, the connection closed).</summary>
    void Abandon();
}

internal enum SseEventKind
{
    Data,
    UsageOnly,
    Done,
}

/// <summary>
/// Follows one direction of an HTTP/1.1 connection as captured on the wire: message heads,
/// bodies by <c>Content-Length</c>, <c>chunked</c> or until close, and, inside response bodies,
/// the SSE events (an event ends at an empty line). A capture that starts mid-connection is
/// joined at the first segment that begins a message (<c>HTTP/1.</c> for responses, a method for
/// requests); everything before it is skipped.
/// </summary>
internal sealed class HttpMessageParser(bool requests, IHttpMessageSink sink)
{
    private const int MaxHead = 64 * 1024;
    private static ReadOnlySpan<byte> EmptyChoices => "\"choices\":[]"u8;

    private enum State { Unsynced, Head, Body, ChunkSize, ChunkData, ChunkEnd, Trailers, UntilClose }

    private State _state;
    private byte[] _head = new byte[4096];
    private int _headLength;
    private long _remaining;
    private readonly StringBuilder _sizeLine = new();
    private readonly byte[] _line = new byte[16];
    private int _lineLength;
    private bool _eventHasData, _eventDone, _eventUsageOnly;
    private int _choicesMatched;

    /// <summary>Feeds one segment's payload, in stream order; <paramref name="timeNs"/> is the segment's capture time.</summary>
    public void Feed(long timeNs, ReadOnlySpan<byte> data)
    {
        if (_state == State.Unsynced)
        {
            if (!BeginsMessage(data)) return;
            BeginHead();
        }
        while (!data.IsEmpty)
        {
            switch (_state)
            {
                case State.Head:
                    data = ReadHead(timeNs, data);
                    break;
                case State.Body:
                    Content(timeNs, Take(ref data));
                    if (_remaining == 0) Finish(timeNs);
                    break;
                case State.ChunkSize:
                case State.Trailers:
                    data = ReadLine(timeNs, data);
                    break;
                case State.ChunkData:
                    Content(timeNs, Take(ref data));
                    if (_remaining == 0)
                    {
                        _state = State.ChunkEnd;
                        _remaining = 2; // the CRLF after a chunk's data
                    }
                    break;
                case State.ChunkEnd:
                    Take(ref data);
                    if (_remaining == 0) _state = State.ChunkSize;
                    break;
                case State.UntilClose:
                    Content(timeNs, data);
                    data = default;
                    break;
                default:
                    // Unsynced again (a malformed head): wait for the next segment that begins a message.
                    return;
            }
        }
    }

    /// <summary>Bytes of this direction are missing from the capture: the message in progress is lost, and the next one is joined afresh.</summary>
    public void Lost()
    {
        if (InMessage) sink.Abandon();
        _state = State.Unsynced;
    }

    /// <summary>The sender closed its side (FIN or RST).</summary>
    public void Closed(long timeNs)
    {
        if (_state == State.UntilClose) Finish(timeNs);
        else if (InMessage) sink.Abandon();
        _state = State.Unsynced;
    }

    /// <summary>Between a message's first byte and its last.</summary>
    private bool InMessage => _state != State.Unsynced && (_state != State.Head || _headLength > 0);

    /// <summary>The connection's first byte is next (its SYN was captured): the next segment begins a message whatever it holds.</summary>
    public void AtConnectionStart()
    {
        if (InMessage) sink.Abandon();
        BeginHead();
    }

    /// <summary>Whether a segment begins a message: <c>HTTP/1.</c> or a method and a space (or, for a segment that short, their start).</summary>
    private bool BeginsMessage(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return false;
        if (!requests) return data.Length >= 7 ? data.StartsWith("HTTP/1."u8) : "HTTP/1."u8.StartsWith(data);
        var space = data[..Math.Min(data.Length, 9)].IndexOf((byte)' ');
        var method = space < 0 && data.Length < 9 ? data : space >= 3 ? data[..space] : default;
        if (method.IsEmpty) return false;
        foreach (var b in method) if (b is < (byte)'A' or > (byte)'Z') return false;
        return true;
    }

    private void BeginHead()
    {
        _state = State.Head;
        _headLength = 0;
    }

    private ReadOnlySpan<byte> ReadHead(long timeNs, ReadOnlySpan<byte> data)
    {
        var before = _headLength;
        var take = Math.Min(data.Length, MaxHead - _headLength);
        if (_headLength + take > _head.Length) Array.Resize(ref _head, Math.Min(MaxHead, Math.Max(_head.Length * 2, _headLength + take)));
        data[..take].CopyTo(_head.AsSpan(_headLength));
        _headLength += take;
        var from = Math.Max(0, before - 3);
        var end = _head.AsSpan(from, _headLength - from).IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            if (_headLength >= MaxHead) { _state = State.Unsynced; sink.Abandon(); return default; }
            return default;
        }
        var headEnd = from + end + 4;
        var rest = data[(headEnd - before)..];
        OnHead(timeNs, _head.AsSpan(0, headEnd));
        return rest;
    }

    private void OnHead(long timeNs, ReadOnlySpan<byte> head)
    {
        var text = Encoding.ASCII.GetString(head);
        var lines = text.Split("\r\n");
        var status = 0;
        if (!requests)
        {
            var parts = lines[0].Split(' ', 3);
            if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out status))
            {
                _state = State.Unsynced;
                return;
            }
        }
        long? length = null;
        var chunked = false;
        string? requestId = null;
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            var name = lines[i].AsSpan(0, colon).Trim();
            var value = lines[i].AsSpan(colon + 1).Trim();
            if (name.Equals("content-length", StringComparison.OrdinalIgnoreCase) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var l)) length = l;
            else if (name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase)) chunked = true;
            else if (name.Equals("x-request-id", StringComparison.OrdinalIgnoreCase)) requestId = value.ToString();
        }
        if (status is >= 100 and < 200)
        {
            BeginHead(); // an interim answer (100 Continue): the real head follows
            return;
        }
        sink.Start(timeNs, status, requestId);
        _lineLength = 0;
        _eventHasData = _eventDone = _eventUsageOnly = false;
        _choicesMatched = 0;
        if (chunked)
        {
            _state = State.ChunkSize;
            _sizeLine.Clear();
        }
        else if (length is > 0)
        {
            _state = State.Body;
            _remaining = length.Value;
        }
        else if (length == 0 || requests || status is 204 or 304)
        {
            Finish(timeNs);
        }
        else
        {
            _state = State.UntilClose;
        }
    }

    private ReadOnlySpan<byte> ReadLine(long timeNs, ReadOnlySpan<byte> data)
    {
        var newline = data.IndexOf((byte)'\n');
        var part = newline < 0 ? data : data[..newline];
        if (_sizeLine.Length + part.Length > 1024) { _state = State.Unsynced; sink.Abandon(); return default; }
        foreach (var b in part) if (b != '\r') _sizeLine.Append((char)b);
        if (newline < 0) return default;
        var line = _sizeLine.ToString();
        _sizeLine.Clear();
        if (_state == State.Trailers)
        {
            if (line.Length == 0) Finish(timeNs);
            return data[(newline + 1)..];
        }
        var semicolon = line.IndexOf(';', StringComparison.Ordinal);
        if (!long.TryParse(semicolon < 0 ? line.Trim() : line[..semicolon].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
        {
            _state = State.Unsynced;
            sink.Abandon();
            return default;
        }
        if (size == 0) _state = State.Trailers;
        else
        {
            _state = State.ChunkData;
            _remaining = size;
        }
        return data[(newline + 1)..];
    }

    /// <summary>Takes what the segment holds of the <c>_remaining</c> bytes still due (a body, a chunk, its CRLF) off <paramref name="data"/>.</summary>
    private ReadOnlySpan<byte> Take(ref ReadOnlySpan<byte> data)
    {
        var n = (int)Math.Min(_remaining, data.Length);
        var taken = data[..n];
        data = data[n..];
        _remaining -= n;
        return taken;
    }

    private void Finish(long timeNs)
    {
        sink.Complete(timeNs);
        BeginHead();
    }

    /// <summary>Body bytes: SSE lines of a response, an event ending at an empty line.</summary>
    private void Content(long timeNs, ReadOnlySpan<byte> body)
    {
        if (requests) return;
        foreach (var b in body)
        {
            if (b == '\r') continue;
            if (b != '\n')
            {
                if (_lineLength < _line.Length) _line[_lineLength] = b;
                _lineLength++;
                _choicesMatched = b == EmptyChoices[_choicesMatched] ? _choicesMatched + 1 : b == EmptyChoices[0] ? 1 : 0;
                if (_choicesMatched == EmptyChoices.Length)
                {
                    _eventUsageOnly = true;
                    _choicesMatched = 0;
                }
                continue;
            }
            _choicesMatched = 0;
            if (_lineLength == 0)
            {
                if (_eventHasData) sink.Event(timeNs, _eventDone ? SseEventKind.Done : _eventUsageOnly ? SseEventKind.UsageOnly : SseEventKind.Data);
                _eventHasData = _eventDone = _eventUsageOnly = false;
                continue;
            }
            var line = _line.AsSpan(0, Math.Min(_lineLength, _line.Length));
            if (line.StartsWith("data:"u8))
            {
                _eventHasData = true;
                if (_lineLength <= _line.Length && line[5..].Trim((byte)' ').SequenceEqual("[DONE]"u8)) _eventDone = true;
            }
            _lineLength = 0;
        }
    }
}
