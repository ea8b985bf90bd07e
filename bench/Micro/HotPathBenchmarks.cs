using BenchmarkDotNet.Attributes;
using Gateway.Proxy.Counters;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.Admission;
using Gateway.Proxy.Policies.Authentication;
using Gateway.Proxy.Policies.ModelResolution;
using Gateway.Proxy.Snapshots;

namespace Gateway.Bench.Micro;

/// <summary>
/// The per-request pieces of the proxy's pipeline, on arm C's snapshot (demo catalog, every limit
/// and budget on, 10,001 keys), with allocations per operation. Key lookup and model resolution
/// must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private CompiledSnapshot _snapshot = null!;
    private CompiledKey _key = null!;
    private string _presentedKey = null!;
    private byte[] _body = null!;
    private RequestBodyInfo _bodyInfo;
    private BpeCounter _tokenizer = null!;
    private InProcessCounters _counters = null!;
    private CounterReservation _reservation = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_snapshot, _presentedKey) = Fixtures.Snapshot();
        _key = _snapshot.Keys[Fixtures.KeyIdOf(_presentedKey)];
        _body = Fixtures.ChatBody();
        if (!RequestBodyInspector.TryInspect(_body, out _bodyInfo, out _)) throw new InvalidOperationException("benchmark body is invalid");
        _tokenizer = Tokenizers.For(Tokenizers.O200k);
        _counters = new InProcessCounters(TimeProvider.System);
        var request = Fixtures.ResolvedRequest(_snapshot, _key, _body, _bodyInfo, "bench-request-1");
        _reservation = AdmissionPlanner.Plan(request, _now).Reservation ?? throw new InvalidOperationException("the benchmark snapshot must set limits");
    }

    /// <summary>Authentication: key id → record in a 10,001-key frozen dictionary, SHA-256 of the presented key, constant-time compare.</summary>
    [Benchmark]
    public bool KeyLookup() => KeyAuthenticator.Authenticate(_snapshot, _presentedKey, _now, out _) == AuthenticationResult.Success;

    /// <summary>Alias → subscription → version (pin, canary bucket by request id, default), lifecycle checks.</summary>
    [Benchmark]
    public bool ModelResolution() => ModelResolver.Resolve(_snapshot, _key, "gpt-4o", "bench-request-1", _now, out _) == ResolutionResult.Success;

    /// <summary>One validating pass over the 1 KB body: model position, stream flags, max_tokens.</summary>
    [Benchmark]
    public bool BodyInspection() => RequestBodyInspector.TryInspect(_body, out _, out _);

    /// <summary>The prompt's tokens (o200k_base) of the 1 KB chat body, as admission reserves them.</summary>
    [Benchmark]
    public long TokenEstimate() => PromptTokenEstimator.Count(GatewayOperation.ChatCompletions, _body, _tokenizer);

    /// <summary>Reserve then settle one request on its 11 counters (rpm, tpm, concurrency × key, subscription, team; token and money budget).</summary>
    [Benchmark]
    public bool CounterReserveSettle()
    {
        _reservation.Finished = false;
        _counters.ReserveAsync(_reservation, CancellationToken.None).GetAwaiter().GetResult();
        for (var i = 0; i < _reservation.Count; i++) _reservation.Actual[i] = _reservation.Reserved(i) / 2;
        _counters.SettleAsync(_reservation, CancellationToken.None).GetAwaiter().GetResult();
        return _reservation.Admitted;
    }
}
