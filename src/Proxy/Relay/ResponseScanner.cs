using System.Buffers;
using System.Text.Json;
using Gateway.Proxy.Pipeline;

namespace Gateway.Proxy.Relay;

/// <summary>
/// Reads what metering needs out of a relayed response without holding it: the provider's
/// <c>usage</c> object (at the top, or under <c>response</c>/<c>message</c> for Responses-API,
/// Realtime and Anthropic events) and, when an observer wants it, the generated text (string
/// deltas). Works incrementally on a JSON body split across reads, or on one SSE event at a time.
/// Reports to the <see cref="GatewayRequest"/> as soon as a usage object closes, unless what it
/// says cannot be true (<see cref="UsageAccumulator.Plausible"/>): then metering estimates.
/// </summary>
internal sealed class ResponseScanner(GatewayRequest request, bool anthropicUsage, bool reportUsage = true) : IDisposable
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 };

    private readonly bool _wantText = request.WantsText;
    private UsageAccumulator _usage = new(anthropicUsage);
    private JsonReaderState _state = new(Options);
    private byte[]? _carry;
    private int _carryLength;
    private bool _broken;
    private char[]? _text;

    // Parser position.
    private Container _depth1 = Container.Other;
    private bool _expectUsage;
    private int _usageDepth = -1;
    private UsageField _field;
    private bool _inDetails;
    private int _deltaDepth = -1;
    private bool _textProperty;
    private bool _expectChoices;
    private int _choicesState; // 0 none, 1 choices array open and empty so far, 2 closed empty, 3 has elements
    private bool _usageInEvent;

    /// <summary>The usage seen so far, if any that can be true (<see cref="UsageAccumulator.Plausible"/>).</summary>
    public TokenUsage? Usage => _usage.Seen && _usage.Plausible ? _usage.Current : null;

    /// <summary>Forgets the usage seen so far (Realtime: each <c>response.done</c> reports one response).</summary>
    public void ResetUsage() => _usage = new UsageAccumulator(anthropicUsage);

    /// <summary>Feeds the next piece of a JSON body (incremental; a token split across pieces is carried over).</summary>
    public void FeedJson(ReadOnlySpan<byte> chunk)
    {
        if (_broken || chunk.IsEmpty) return;
        ReadOnlySpan<byte> data = chunk;
        if (_carryLength > 0)
        {
            EnsureCarry(_carryLength + chunk.Length);
            chunk.CopyTo(_carry.AsSpan(_carryLength));
            _carryLength += chunk.Length;
            data = _carry.AsSpan(0, _carryLength);
        }
        var reader = new Utf8JsonReader(data, isFinalBlock: false, _state);
        try
        {
            while (reader.Read()) Process(ref reader);
        }
        catch (JsonException)
        {
            _broken = true; // not JSON after all: nothing to meter from it
            return;
        }
        _state = reader.CurrentState;
        var rest = data[(int)reader.BytesConsumed..];
        if (rest.Length > 0)
        {
            EnsureCarry(rest.Length);
            rest.CopyTo(_carry);
        }
        _carryLength = rest.Length;
    }

    /// <summary>Scans one complete event payload; says whether it was a usage-only chunk (<c>"choices": []</c> with usage).</summary>
    public EventScan ScanEvent(ReadOnlySpan<byte> json)
    {
        ResetPosition();
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            while (reader.Read()) Process(ref reader);
        }
        catch (JsonException)
        {
            return new EventScan(false, false);
        }
        return new EventScan(_usageInEvent, _choicesState == 2);
    }

    private void ResetPosition()
    {
        _depth1 = Container.Other;
        _expectUsage = false;
        _usageDepth = -1;
        _field = UsageField.None;
        _inDetails = false;
        _deltaDepth = -1;
        _textProperty = false;
        _expectChoices = false;
        _choicesState = 0;
        _usageInEvent = false;
    }

    private void Process(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        if (_choicesState == 1 && depth >= 2) _choicesState = 3;
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                _textProperty = false;
                if (depth == 1)
                {
                    _depth1 = reader.ValueTextEquals("response"u8) ? Container.Response
                        : reader.ValueTextEquals("message"u8) ? Container.Message
                        : reader.ValueTextEquals("choices"u8) ? Container.Choices
                        : Container.Other;
                    _expectChoices = _depth1 == Container.Choices;
                }
                if (_usageDepth < 0)
                {
                    if (reader.ValueTextEquals("usage"u8) && (depth == 1 || (depth == 2 && _depth1 is Container.Response or Container.Message)))
                        _expectUsage = true;
                }
                else if (depth == _usageDepth)
                {
                    _field = UsageAccumulator.FieldOf(reader.ValueSpan);
                }
                else if (_inDetails && depth == _usageDepth + 1 && reader.ValueTextEquals("cached_tokens"u8))
                {
                    _field = UsageField.Cached;
                }
                if (_wantText) NoteTextProperty(ref reader, depth);
                return;

            case JsonTokenType.StartObject:
                if (_expectUsage)
                {
                    _expectUsage = false;
                    _usageDepth = depth + 1;
                }
                else if (_usageDepth > 0 && _field == UsageField.Details && depth == _usageDepth)
                {
                    _inDetails = true;
                }
                _field = UsageField.None;
                return;

            case JsonTokenType.EndObject:
                if (_usageDepth > 0)
                {
                    if (depth == _usageDepth - 1)
                    {
                        _usageDepth = -1;
                        _inDetails = false;
                        _usageInEvent = true;
                        if (!_usage.Plausible) request.ReportImplausibleUsage();
                        else if (reportUsage) request.ReportUsage(_usage.Current);
                    }
                    else if (depth == _usageDepth) _inDetails = false;
                }
                if (_deltaDepth >= 0 && depth < _deltaDepth) _deltaDepth = -1;
                return;

            case JsonTokenType.StartArray:
                if (_expectChoices && depth == 1) _choicesState = 1;
                _expectChoices = false;
                _expectUsage = false;
                return;

            case JsonTokenType.EndArray:
                if (_choicesState == 1 && depth == 1) _choicesState = 2;
                return;

            case JsonTokenType.Number:
                if (_field is not (UsageField.None or UsageField.Details) && reader.TryGetInt64(out var value)) _usage.Set(_field, value);
                break;

            case JsonTokenType.String:
                if (_textProperty) ReportText(ref reader);
                break;
        }
        _expectUsage = false;
        _expectChoices = false;
        _field = UsageField.None;
        _textProperty = false;
    }

    /// <summary>
    /// Generated text is: a string <c>delta</c> (Responses, Realtime events); <c>content</c>,
    /// <c>text</c>, <c>partial_json</c>, <c>arguments</c> anywhere under a <c>delta</c> object
    /// (chat chunks, Anthropic deltas) or under a chat choice's <c>message</c> (a JSON answer, so an
    /// answer without usage can still be estimated); and <c>text</c> of a legacy completions choice.
    /// </summary>
    private void NoteTextProperty(ref Utf8JsonReader reader, int depth)
    {
        if (reader.ValueTextEquals("delta"u8) || (_depth1 == Container.Choices && depth == 3 && reader.ValueTextEquals("message"u8)))
        {
            _textProperty = true; // counts if it is a string
            _deltaDepth = depth + 1;
            return;
        }
        var underDelta = _deltaDepth >= 0 && depth >= _deltaDepth;
        if (underDelta && (reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("partial_json"u8) || reader.ValueTextEquals("arguments"u8)))
            _textProperty = true;
        else if (_depth1 == Container.Choices && depth == 3 && reader.ValueTextEquals("text"u8))
            _textProperty = true;
    }

    private void ReportText(ref Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length == 0) return;
        if (_text is null || _text.Length < length)
        {
            if (_text is not null) ArrayPool<char>.Shared.Return(_text);
            _text = ArrayPool<char>.Shared.Rent(Math.Max(length, 256));
        }
        var written = reader.CopyString(_text);
        request.ReportText(_text.AsSpan(0, written));
    }

    private void EnsureCarry(int size)
    {
        if (_carry is not null && _carry.Length >= size) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(size, 4096));
        if (_carry is not null)
        {
            _carry.AsSpan(0, _carryLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_carry);
        }
        _carry = bigger;
    }

    public void Dispose()
    {
        if (_carry is not null) ArrayPool<byte>.Shared.Return(_carry);
        if (_text is not null) ArrayPool<char>.Shared.Return(_text);
        _carry = null;
        _text = null;
    }

    private enum Container
    {
        Other,
        Response,
        Message,
        Choices,
    }
}

/// <summary>What one SSE event held: a usage report, and whether it was OpenAI's usage-only chunk.</summary>
internal readonly record struct EventScan(bool HasUsage, bool EmptyChoices)
{
    public bool IsUsageOnlyChunk => HasUsage && EmptyChoices;
}
