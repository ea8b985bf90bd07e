using System.Buffers;
using System.Text.Json;
using static Gateway.Proxy.Providers.Translation.JsonWriting;

namespace Gateway.Proxy.Providers.Translation;

/// <summary>
/// Anthropic Messages stream events → OpenAI <c>chat.completion.chunk</c> events, one by one:
/// <c>message_start</c> opens the assistant turn, text and tool-argument deltas become content
/// and <c>tool_calls</c> deltas, <c>message_delta</c> carries the finish reason, and
/// <c>message_stop</c> ends with the usage chunk (when the client asked for it) and <c>[DONE]</c>.
/// </summary>
internal sealed class AnthropicToChatStream(long created, bool includeUsage) : IStreamTranslator
{
    private readonly SseWriter _writer = new();
    private readonly Dictionary<long, int> _toolByBlock = [];
    private string _id = "";
    private string _model = "";
    private long _input;
    private long _cached;
    private long _output;

    public bool Finished { get; private set; }

    public void OnEvent(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (Finished || data.IsEmpty) return;
        using var document = JsonDocument.Parse(data.ToArray());
        var root = document.RootElement;
        switch (StringOrNull(root, "type"))
        {
            case "message_start":
                var message = Property(root, "message");
                _id = StringOrNull(message, "id") ?? "";
                _model = StringOrNull(message, "model") ?? "";
                ReadUsage(Property(message, "usage"));
                WriteChunk(output, w =>
                {
                    w.WriteString("role", "assistant");
                    w.WriteString("content", "");
                }, null);
                break;
            case "content_block_start":
                var block = Property(root, "content_block");
                if (StringOrNull(block, "type") == "tool_use")
                {
                    var tool = _toolByBlock.Count;
                    _toolByBlock[LongOrZero(root, "index")] = tool;
                    WriteChunk(output, w => WriteToolCall(w, tool, StringOrNull(block, "id"), StringOrNull(block, "name"), ""), null);
                }
                else if (StringOrNull(block, "type") == "text" && StringOrNull(block, "text") is { Length: > 0 } initial)
                {
                    WriteChunk(output, w => w.WriteString("content", initial), null);
                }
                break;
            case "content_block_delta":
                var delta = Property(root, "delta");
                switch (StringOrNull(delta, "type"))
                {
                    case "text_delta":
                        var text = StringOrNull(delta, "text") ?? "";
                        WriteChunk(output, w => w.WriteString("content", text), null);
                        break;
                    case "input_json_delta":
                        if (_toolByBlock.TryGetValue(LongOrZero(root, "index"), out var index))
                        {
                            var json = StringOrNull(delta, "partial_json") ?? "";
                            WriteChunk(output, w => WriteToolCall(w, index, null, null, json), null);
                        }
                        break;
                }
                break;
            case "message_delta":
                ReadUsage(Property(root, "usage"));
                var reason = StopReasons.ToOpenAI(StringOrNull(Property(root, "delta"), "stop_reason"));
                WriteChunk(output, static _ => { }, reason);
                break;
            case "message_stop":
                Finish(output);
                break;
            case "error":
                WriteError(output, Property(root, "error"));
                Finished = true;
                break;
        }
    }

    public bool Complete(IBufferWriter<byte> output) => Finished;

    private void WriteError(IBufferWriter<byte> output, JsonElement error)
    {
        var w = _writer.Begin();
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", StringOrNull(error, "message") ?? "The upstream provider failed.");
        w.WriteString("type", StringOrNull(error, "type") ?? "api_error");
        w.WriteNull("param");
        w.WriteNull("code");
        w.WriteEndObject();
        w.WriteEndObject();
        _writer.End(output);
    }

    private void Finish(IBufferWriter<byte> output)
    {
        if (includeUsage)
        {
            var w = _writer.Begin();
            w.WriteStartObject();
            WriteHeader(w);
            w.WriteStartArray("choices");
            w.WriteEndArray();
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", _input);
            w.WriteNumber("completion_tokens", _output);
            w.WriteNumber("total_tokens", _input + _output);
            w.WriteStartObject("prompt_tokens_details");
            w.WriteNumber("cached_tokens", _cached);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            _writer.End(output);
        }
        SseWriter.WriteDone(output);
        Finished = true;
    }

    private void ReadUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object) return;
        if (usage.TryGetProperty("input_tokens", out _))
        {
            _cached = LongOrZero(usage, "cache_read_input_tokens");
            _input = LongOrZero(usage, "input_tokens") + _cached + LongOrZero(usage, "cache_creation_input_tokens");
        }
        if (usage.TryGetProperty("output_tokens", out _)) _output = LongOrZero(usage, "output_tokens");
    }

    private void WriteChunk(IBufferWriter<byte> output, Action<Utf8JsonWriter> delta, string? finishReason)
    {
        var w = _writer.Begin();
        w.WriteStartObject();
        WriteHeader(w);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        delta(w);
        w.WriteEndObject();
        w.WriteNull("logprobs");
        if (finishReason is null) w.WriteNull("finish_reason");
        else w.WriteString("finish_reason", finishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        _writer.End(output);
    }

    private void WriteHeader(Utf8JsonWriter w)
    {
        w.WriteString("id", _id);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", created);
        w.WriteString("model", _model);
    }

    private static void WriteToolCall(Utf8JsonWriter w, int index, string? id, string? name, string arguments)
    {
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteNumber("index", index);
        if (id is not null)
        {
            w.WriteString("id", id);
            w.WriteString("type", "function");
        }
        w.WriteStartObject("function");
        if (name is not null) w.WriteString("name", name);
        w.WriteString("arguments", arguments);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    public void Dispose() => _writer.Dispose();
}
