using System.Runtime.CompilerServices;

namespace Gateway.Proxy.Relay;

/// <summary>
/// Reads an upstream body with an idle timeout (the longest silence between two reads), cancelled
/// too when the client goes away. Timers come from the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class UpstreamReader : IDisposable
{
    private readonly Stream _stream;
    private readonly TimeSpan _idle;
    private readonly CancellationToken _client;
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenRegistration _registration;

    public UpstreamReader(Stream stream, TimeSpan idle, CancellationToken client, TimeProvider time)
    {
        _stream = stream;
        _idle = idle;
        _client = client;
        _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _registration = client.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _timeout);
    }

    /// <summary>Reads the next piece; throws <see cref="UpstreamIdleException"/> after the idle timeout.</summary>
    /// <remarks>
    /// Pooled: a read that waits for the upstream (every event of a stream) would otherwise allocate
    /// its state machine each time, about 8 KiB per 66-event stream. Each call's result is awaited once.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadAsync(Memory<byte> buffer)
    {
        _timeout.CancelAfter(_idle);
        try
        {
            return await _stream.ReadAsync(buffer, _timeout.Token);
        }
        catch (OperationCanceledException) when (!_client.IsCancellationRequested)
        {
            throw new UpstreamIdleException(_idle);
        }
    }

    public void Dispose()
    {
        _registration.Dispose();
        _timeout.Dispose();
    }
}

/// <summary>The upstream was silent for longer than the stream idle timeout.</summary>
internal sealed class UpstreamIdleException(TimeSpan idle) : TimeoutException($"The upstream sent nothing for {idle.TotalSeconds:0.#} s.");
