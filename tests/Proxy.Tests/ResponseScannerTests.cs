using System.Text;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Relay;

namespace Gateway.Proxy.Tests;

public sealed class ResponseScannerTests
{
    private sealed class Recorder : IRelayObserver
    {
        public List<TokenUsage> Usage { get; } = [];

        public StringBuilder Text { get; } = new();

        public RelayOutcome? Outcome { get; private set; }

        public void OnUsage(in TokenUsage usage) => Usage.Add(usage);

        public void OnText(ReadOnlySpan<char> text) => Text.Append(text);

        public void OnCompleted(RelayOutcome outcome) => Outcome = outcome;
    }

    private static (GatewayRequest Request, Recorder Recorder) Observed()
    {
        var request = new GatewayRequest("r", 0, DateTimeOffset.UnixEpoch);
        var recorder = new Recorder();
        request.AddObserver(recorder);
        return (request, recorder);
    }

    [Fact]
    public void OpenAIJson_SplitAtEveryByte_YieldsTheUsage()
    {
        var json = Encoding.UTF8.GetBytes("""{"id":"x","choices":[{"message":{"content":"a \"usage\": {} b"}}],"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18,"prompt_tokens_details":{"cached_tokens":3}},"system_fingerprint":null}""");
        for (var split = 1; split < json.Length; split++)
        {
            var (request, recorder) = Observed();
            using var scanner = new ResponseScanner(request, anthropicUsage: false);

            scanner.FeedJson(json.AsSpan(0, split));
            scanner.FeedJson(json.AsSpan(split));

            Assert.Equal(new TokenUsage(11, 3, 7), Assert.Single(recorder.Usage));
            Assert.Equal(new TokenUsage(11, 3, 7), request.Usage);
        }
    }

    [Theory]
    [InlineData("""{"usage":{"prompt_tokens":11,"completion_tokens":-1}}""", false)]
    [InlineData("""{"usage":{"prompt_tokens":11,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":12}}}""", false)]
    [InlineData("""{"usage":{"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":3}}}""", false)] // the input left out beside its cached part
    [InlineData("""{"usage":{"prompt_tokens":1099511627777,"completion_tokens":7}}""", false)] // over 2^40
    [InlineData("""{"usage":{"input_tokens":9223372036854775807,"cache_read_input_tokens":9223372036854775807,"output_tokens":1}}""", true)] // would overflow summed
    public void UsageThatCannotBeTrue_IsNotReported(string json, bool anthropic)
    {
        var (request, recorder) = Observed();
        using var scanner = new ResponseScanner(request, anthropic);

        scanner.FeedJson(Encoding.UTF8.GetBytes(json));

        Assert.Empty(recorder.Usage);
        Assert.Null(scanner.Usage);
        Assert.Null(request.Usage);
    }

    [Fact]
    public void UsageAtTheLimit_IsReported()
    {
        var (request, recorder) = Observed();
        using var scanner = new ResponseScanner(request, anthropicUsage: false);

        scanner.FeedJson("""{"usage":{"prompt_tokens":1099511627776,"completion_tokens":0,"prompt_tokens_details":{"cached_tokens":1099511627776}}}"""u8);

        Assert.Equal(new TokenUsage(1L << 40, 1L << 40, 0), Assert.Single(recorder.Usage));
        Assert.Equal(new TokenUsage(1L << 40, 1L << 40, 0), scanner.Usage);
    }

    [Fact]
    public void AnthropicEvents_MergeInputFromMessageStartAndOutputFromMessageDelta()
    {
        var (request, recorder) = Observed();
        using var scanner = new ResponseScanner(request, anthropicUsage: true);

        scanner.ScanEvent("""{"type":"message_start","message":{"id":"m","usage":{"input_tokens":10,"cache_read_input_tokens":5,"cache_creation_input_tokens":2,"output_tokens":1}}}"""u8);
        scanner.ScanEvent("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"""u8);
        scanner.ScanEvent("""{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}"""u8);

        Assert.Equal(new TokenUsage(17, 5, 9), request.Usage);
        Assert.Equal(2, recorder.Usage.Count);
        Assert.Equal("Hello", recorder.Text.ToString());
    }

    [Fact]
    public void ChatChunks_ReportTextAndSpotTheUsageOnlyChunk()
    {
        var (request, recorder) = Observed();
        using var scanner = new ResponseScanner(request, anthropicUsage: false);

        var first = scanner.ScanEvent("""{"choices":[{"index":0,"delta":{"role":"assistant","content":"Hi "}}],"usage":null}"""u8);
        var tool = scanner.ScanEvent("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"f","arguments":"{}"}}]}}]}"""u8);
        var last = scanner.ScanEvent("""{"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}}"""u8);

        Assert.False(first.IsUsageOnlyChunk);
        Assert.False(tool.IsUsageOnlyChunk);
        Assert.True(last.IsUsageOnlyChunk);
        Assert.Equal("Hi {}", recorder.Text.ToString());
        Assert.Equal(new TokenUsage(4, 0, 2), request.Usage);
    }

    [Fact]
    public void ResponsesAndRealtimeEvents_YieldUsageUnderResponse()
    {
        var (request, recorder) = Observed();
        using var scanner = new ResponseScanner(request, anthropicUsage: false);

        scanner.ScanEvent("""{"type":"response.output_text.delta","delta":"Bonjour"}"""u8);
        scanner.ScanEvent("""{"type":"response.output_text.done","text":"Bonjour"}"""u8);
        var done = scanner.ScanEvent("""{"type":"response.completed","response":{"output":[{"content":[{"text":"Bonjour"}]}],"usage":{"input_tokens":6,"input_tokens_details":{"cached_tokens":1},"output_tokens":2}}}"""u8);

        Assert.True(done.HasUsage);
        Assert.Equal(new TokenUsage(6, 1, 2), request.Usage);
        Assert.Equal("Bonjour", recorder.Text.ToString());
    }

    [Fact]
    public void TextIsNotExtracted_WithoutObservers()
    {
        var request = new GatewayRequest("r", 0, DateTimeOffset.UnixEpoch);
        Assert.False(request.WantsText);
        using var scanner = new ResponseScanner(request, anthropicUsage: false);

        scanner.ScanEvent("""{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1}}"""u8);

        Assert.Equal(new TokenUsage(1, 0, 1), request.Usage);
    }

    [Fact]
    public void SseEvents_AreFramedAndParsed()
    {
        var buffer = "event: message_start\r\ndata: {\"a\":1}\r\n\r\ndata: [DONE]\n\n: comment"u8.ToArray();

        Assert.True(SseEvents.TryFindEvent(buffer, out var length, out var terminator));
        Assert.Equal(4, terminator);
        byte[]? scratch = null;
        SseEvents.Parse(buffer.AsSpan(0, length), out var name, out var data, ref scratch);
        Assert.Equal("message_start", Encoding.UTF8.GetString(name));
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(data));

        var rest = buffer.AsSpan(length + terminator);
        Assert.True(SseEvents.TryFindEvent(rest, out length, out terminator));
        SseEvents.Parse(rest[..length], out _, out data, ref scratch);
        Assert.True(SseEvents.IsDone(data));
        Assert.False(SseEvents.TryFindEvent(rest[(length + terminator)..], out _, out _));
    }

    [Fact]
    public void SseEvents_MultiLineData_IsJoined()
    {
        byte[]? scratch = null;
        SseEvents.Parse("data: {\"a\":\ndata: 1}"u8, out _, out var data, ref scratch);

        Assert.Equal("{\"a\":\n1}", Encoding.UTF8.GetString(data));
    }
}
