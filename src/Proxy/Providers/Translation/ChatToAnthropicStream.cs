using System.Buffers;
using System.Text.Json;
using static Gateway.Proxy.Providers.Translation.JsonWriting;

namespace Gateway.Proxy.Providers.Translation;

/// <summary>
/// OpenAI <c>chat.completion.chunk</c> events → Anthropic Messages stream events, one by one:
/// the first chunk opens with <c>message_start</c>; content deltas open a text block and send
/// <c>text_delta</c>s; tool-call deltas open <c>tool_use</c> blocks and send <c>input_json_delta</c>s;
/// <c>[DONE]</c> closes the open block and ends with <c>message_delta</c> (stop reason, usage) and <c>message_stop</c>.
/// </summary>
internal sealed class ChatToAnthropicStream : IStreamTranslator
{
    private readonly SseWriter _writer = new();
    private readonly Dictionary<long, int> _blockByTool = [];
    private bool _started;
    private int _nextBlock;
    private int _openBlock = -1;
    private bool _openIsText;
    private string _stopReason = "end_turn";
    private long _input;
    private long _cached;
    private long _output;

    public bool Finished { get; private set; }

    public void OnEvent(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (Finished || data.IsEmpty) return;
        if (data.SequenceEqual("[DONE]"u8))
        {
            Finish(output);
            return;
        }
        using var document = JsonDocument.Parse(data.ToArray());
        var root = document.RootElement;
        if (Property(root, "error") is { ValueKind: JsonValueKind.Object } error)
        {
            var e = _writer.Begin();
            e.WriteStartObject();
            e.WriteString("type", "error");
            e.WriteStartObject("error");
            e.WriteString("type", StringOrNull(error, "type") ?? "api_error");
            e.WriteString("message", StringOrNull(error, "message") ?? "The upstream provider failed.");
            e.WriteEndObject();
            e.WriteEndObject();
            _writer.End(output, "error"u8);
            Finished = true;
            return;
        }
        if (!_started) Start(output, root);

        if (Property(root, "choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            var delta = Property(choice, "delta");
            if (StringOrNull(delta, "content") is { Length: > 0 } text)
            {
                if (_openBlock < 0 || !_openIsText) OpenBlock(output, isText: true, null, null);
                var w = _writer.Begin();
                w.WriteStartObject();
                w.WriteString("type", "content_block_delta");
                w.WriteNumber("index", _openBlock);
                w.WriteStartObject("delta");
                w.WriteString("type", "text_delta");
                w.WriteString("text", text);
                w.WriteEndObject();
                w.WriteEndObject();
                _writer.End(output, "content_block_delta"u8);
            }
            if (Property(delta, "tool_calls") is { ValueKind: JsonValueKind.Array } calls)
            {
                foreach (var call in calls.EnumerateArray()) OnToolCall(output, call);
            }
            if (StringOrNull(choice, "finish_reason") is { } finish) _stopReason = StopReasons.ToAnthropic(finish);
        }
        if (Property(root, "usage") is { ValueKind: JsonValueKind.Object } usage)
        {
            _cached = LongOrZero(Property(usage, "prompt_tokens_details"), "cached_tokens");
            _input = LongOrZero(usage, "prompt_tokens") - _cached;
            _output = LongOrZero(usage, "completion_tokens");
        }
    }

    /// <summary>A clean end without <c>[DONE]</c> (some OpenAI-compatible servers) still closes the message.</summary>
    public bool Complete(IBufferWriter<byte> output)
    {
        if (!Finished && _started) Finish(output);
        return Finished;
    }

    private void Start(IBufferWriter<byte> output, JsonElement first)
    {
        _started = true;
        var w = _writer.Begin();
        w.WriteStartObject();
        w.WriteString("type", "message_start");
        w.WriteStartObject("message");
        w.WriteString("id", StringOrNull(first, "id") ?? "");
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", StringOrNull(first, "model") ?? "");
        w.WriteStartArray("content");
        w.WriteEndArray();
        w.WriteNull("stop_reason");
        w.WriteNull("stop_sequence");
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", 0);
        w.WriteNumber("output_tokens", 0);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        _writer.End(output, "message_start"u8);
    }

    private void OnToolCall(IBufferWriter<byte> output, JsonElement call)
    {
        var toolIndex = LongOrZero(call, "index");
        var function = Property(call, "function");
        if (StringOrNull(call, "id") is not null || !_blockByTool.ContainsKey(toolIndex))
        {
            OpenBlock(output, isText: false, StringOrNull(call, "id") ?? $"toolu_{toolIndex}", StringOrNull(function, "name") ?? "");
            _blockByTool[toolIndex] = _openBlock;
        }
        if (StringOrNull(function, "arguments") is { Length: > 0 } arguments)
        {
            var w = _writer.Begin();
            w.WriteStartObject();
            w.WriteString("type", "content_block_delta");
            w.WriteNumber("index", _blockByTool[toolIndex]);
            w.WriteStartObject("delta");
            w.WriteString("type", "input_json_delta");
            w.WriteString("partial_json", arguments);
            w.WriteEndObject();
            w.WriteEndObject();
            _writer.End(output, "content_block_delta"u8);
        }
    }

    private void OpenBlock(IBufferWriter<byte> output, bool isText, string? id, string? name)
    {
        CloseBlock(output);
        _openBlock = _nextBlock++;
        _openIsText = isText;
        var w = _writer.Begin();
        w.WriteStartObject();
        w.WriteString("type", "content_block_start");
        w.WriteNumber("index", _openBlock);
        w.WriteStartObject("content_block");
        if (isText)
        {
            w.WriteString("type", "text");
            w.WriteString("text", "");
        }
        else
        {
            w.WriteString("type", "tool_use");
            w.WriteString("id", id);
            w.WriteString("name", name);
            w.WriteStartObject("input");
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
        _writer.End(output, "content_block_start"u8);
    }

    private void CloseBlock(IBufferWriter<byte> output)
    {
        if (_openBlock < 0) return;
        var w = _writer.Begin();
        w.WriteStartObject();
        w.WriteString("type", "content_block_stop");
        w.WriteNumber("index", _openBlock);
        w.WriteEndObject();
        _writer.End(output, "content_block_stop"u8);
        _openBlock = -1;
    }

    private void Finish(IBufferWriter<byte> output)
    {
        if (!_started) Start(output, default);
        CloseBlock(output);
        var w = _writer.Begin();
        w.WriteStartObject();
        w.WriteString("type", "message_delta");
        w.WriteStartObject("delta");
        w.WriteString("stop_reason", _stopReason);
        w.WriteNull("stop_sequence");
        w.WriteEndObject();
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", _input);
        w.WriteNumber("output_tokens", _output);
        w.WriteNumber("cache_read_input_tokens", _cached);
        w.WriteNumber("cache_creation_input_tokens", 0);
        w.WriteEndObject();
        w.WriteEndObject();
        _writer.End(output, "message_delta"u8);

        w = _writer.Begin();
        w.WriteStartObject();
        w.WriteString("type", "message_stop");
        w.WriteEndObject();
        _writer.End(output, "message_stop"u8);
        Finished = true;
    }

    public void Dispose() => _writer.Dispose();
}
