using System.Buffers;
using System.Text.Json;

namespace Gateway.Proxy.Providers.Translation;

/// <summary>Writes translated SSE events: a JSON payload built with a reused writer, framed as <c>event:</c>/<c>data:</c> lines.</summary>
internal sealed class SseWriter : IDisposable
{
    private readonly ArrayBufferWriter<byte> _scratch = new(1024);
    private readonly Utf8JsonWriter _json;

    public SseWriter() => _json = new Utf8JsonWriter(_scratch, JsonWriting.Options);

    /// <summary>A JSON writer for the next event's payload.</summary>
    public Utf8JsonWriter Begin()
    {
        _scratch.ResetWrittenCount();
        _json.Reset(_scratch);
        return _json;
    }

    /// <summary>Frames the payload written since <see cref="Begin"/> into <paramref name="output"/>.</summary>
    public void End(IBufferWriter<byte> output, ReadOnlySpan<byte> eventName = default)
    {
        _json.Flush();
        if (!eventName.IsEmpty)
        {
            output.Write("event: "u8);
            output.Write(eventName);
            output.Write("\n"u8);
        }
        output.Write("data: "u8);
        output.Write(_scratch.WrittenSpan);
        output.Write("\n\n"u8);
    }

    public static void WriteDone(IBufferWriter<byte> output) => output.Write("data: [DONE]\n\n"u8);

    public void Dispose() => _json.Dispose();
}

/// <summary>Turns one provider's stream events into another's.</summary>
internal interface IStreamTranslator : IDisposable
{
    /// <summary>Translates one upstream event (its <c>event:</c> name, possibly empty, and its data) into client events.</summary>
    void OnEvent(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, IBufferWriter<byte> output);

    /// <summary>The upstream stream ended; writes closing events. True when it ended properly.</summary>
    bool Complete(IBufferWriter<byte> output);

    /// <summary>True once the upstream's terminal event was translated (later events are ignored).</summary>
    bool Finished { get; }
}
