using System.Buffers;
using BenchmarkDotNet.Attributes;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.Metering;
using Gateway.Proxy.Providers;
using Gateway.Proxy.Relay;

namespace Gateway.Bench.Micro;

/// <summary>
/// SSE usage parsing: the final usage chunk on its own, and a whole stream as MockLlm sends it in
/// F3 (role chunk, 64 content chunks, finish chunk, the usage chunk the proxy injected and strips,
/// <c>[DONE]</c>) relayed event by event with metering watching (usage and text), per stream.
/// </summary>
[MemoryDiagnoser]
public class SseBenchmarks
{
    private byte[] _usageChunk = null!;
    private byte[] _stream = null!;
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private UpstreamPlan _plan = null!;

    [GlobalSetup]
    public void Setup()
    {
        _usageChunk = Fixtures.UsageChunk();
        _stream = Fixtures.SseStream(contentChunks: 64);
        _plan = new UpstreamPlan { Url = new Uri("http://127.0.0.1/v1/chat/completions"), Body = ReadOnlyMemory<byte>.Empty, StripUsageChunk = true };
    }

    /// <summary>Reads prompt, cached and completion tokens out of OpenAI's usage-only chunk.</summary>
    [Benchmark]
    public bool UsageChunkScan()
    {
        var request = new GatewayRequest("bench-request-1", 0, DateTimeOffset.UnixEpoch);
        using var scanner = new ResponseScanner(request, anthropicUsage: false);
        return scanner.ScanEvent(_usageChunk).IsUsageOnlyChunk;
    }

    /// <summary>One 67-event stream through the relay's SSE state (16 KiB reads), metering observing.</summary>
    [Benchmark]
    public long StreamRelay()
    {
        var request = new GatewayRequest("bench-request-1", 0, DateTimeOffset.UnixEpoch);
        using var meter = new RequestMeter(perResponseUsage: false);
        request.AddObserver(meter);
        using var state = new SseState(request, _plan, 0);
        _output.ResetWrittenCount();
        var input = _stream.AsSpan();
        while (!input.IsEmpty)
        {
            var free = state.FreeSpace().Span;
            var n = Math.Min(free.Length, input.Length);
            input[..n].CopyTo(free);
            input = input[n..];
            state.Process(n, _output);
        }
        state.Finish(_output);
        return meter.Usage?.OutputTokens ?? -1;
    }
}
