using Gateway.Contracts.Grpc;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Gateway.Integration.Tests.ControlPlaneFeed;

/// <summary>
/// Sits in one proxy's gRPC client: while <see cref="Armed"/>, every snapshot streamed by the
/// real control plane reaches the proxy with one bit of its signature flipped (what an attacker
/// on the path, or a corrupted message, would produce).
/// </summary>
internal sealed class TamperingInterceptor : Interceptor
{
    private int _tampered;

    public volatile bool Armed;

    public int Tampered => Volatile.Read(ref _tampered);

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var call = continuation(request, context);
        if (typeof(TResponse) != typeof(SignedSnapshot)) return call;
        return new AsyncServerStreamingCall<TResponse>(new Reader<TResponse>(call.ResponseStream, this),
            call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private SignedSnapshot Tamper(SignedSnapshot message)
    {
        var signature = message.Signature.ToByteArray();
        signature[^1] ^= 0x01;
        Interlocked.Increment(ref _tampered);
        var copy = message.Clone();
        copy.Signature = ByteString.CopyFrom(signature);
        return copy;
    }

    private sealed class Reader<T>(IAsyncStreamReader<T> inner, TamperingInterceptor owner) : IAsyncStreamReader<T>
    {
        public T Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await inner.MoveNext(cancellationToken)) return false;
            Current = owner.Armed && inner.Current is SignedSnapshot s ? (T)(object)owner.Tamper(s) : inner.Current;
            return true;
        }
    }
}
