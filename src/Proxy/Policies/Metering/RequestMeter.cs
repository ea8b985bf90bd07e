using System.Buffers;
using Gateway.Proxy.Relay;

namespace Gateway.Proxy.Policies.Metering;

/// <summary>
/// Watches one relay for metering: the provider's latest usage report and the text relayed
/// (kept in a pooled buffer and counted only if an estimate is needed). For realtime sessions,
/// whose usage arrives per finished response, only the text after the last report is kept (the
/// part of an unfinished response).
/// </summary>
internal sealed class RequestMeter(bool perResponseUsage) : IRelayObserver, IDisposable
{
    private const int FlushChars = 1 << 20;

    private char[]? _text;
    private int _length;
    private long _flushedTokens;

    public TokenUsage? Usage { get; private set; }

    /// <summary>Usage reports received.</summary>
    public int Reports { get; private set; }

    /// <summary>The tokenizer for very long outputs, counted in pieces as they pass.</summary>
    public Admission.BpeCounter? Tokenizer { get; init; }

    public void OnUsage(in TokenUsage usage)
    {
        Usage = usage;
        Reports++;
        if (perResponseUsage)
        {
            _length = 0;
            _flushedTokens = 0;
        }
    }

    public void OnText(ReadOnlySpan<char> text)
    {
        if (_text is null)
        {
            _text = ArrayPool<char>.Shared.Rent(Math.Max(1024, text.Length));
        }
        else if (_length + text.Length > _text.Length)
        {
            if (_length + text.Length > FlushChars && Tokenizer is not null && _length > 0)
            {
                _flushedTokens += Tokenizer.Count(_text.AsSpan(0, _length));
                _length = 0;
            }
            if (_length + text.Length > _text.Length)
            {
                var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_text.Length * 2, _length + text.Length));
                _text.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<char>.Shared.Return(_text);
                _text = bigger;
            }
        }
        text.CopyTo(_text.AsSpan(_length));
        _length += text.Length;
    }

    public void OnCompleted(RelayOutcome outcome)
    {
    }

    /// <summary>Tokens of the text kept (all text, or since the last report for per-response usage).</summary>
    public long CountText(Admission.BpeCounter tokenizer) =>
        _flushedTokens + (_length == 0 ? 0 : tokenizer.Count(_text.AsSpan(0, _length)));

    public bool HasText => _length > 0 || _flushedTokens > 0;

    public void Dispose()
    {
        if (_text is not null) ArrayPool<char>.Shared.Return(_text);
        _text = null;
        _length = 0;
    }
}
