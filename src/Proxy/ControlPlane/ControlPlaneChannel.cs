using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.ControlPlane;

/// <summary>
/// The one HTTP/2 connection (pool) to the control plane's gRPC endpoint, shared by the snapshot
/// feed, heartbeats and usage shipping. Keep-alive pings detect a dead peer on a quiet stream;
/// messages up to 64 MiB are accepted (a large snapshot). <see cref="Interceptor"/>s registered
/// in DI wrap every call (telemetry, tests).
/// </summary>
internal sealed class ControlPlaneChannel : IDisposable
{
    public const int MaxReceiveMessageBytes = 64 * 1024 * 1024;
    public const int MaxSendMessageBytes = 16 * 1024 * 1024;

    private readonly GrpcChannel _channel;
    private readonly ControlPlaneTokenClient _tokens;

    public ControlPlaneChannel(IOptions<ControlPlaneOptions> options, ControlPlaneTokenClient tokens, IEnumerable<Interceptor> interceptors)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _tokens = tokens;
        var ping = TimeSpan.FromSeconds(o.KeepAlivePingSeconds);
        _channel = GrpcChannel.ForAddress(o.GrpcUrl!, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                KeepAlivePingDelay = ping,
                KeepAlivePingTimeout = TimeSpan.FromSeconds(Math.Min(20, o.KeepAlivePingSeconds)),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = TimeSpan.FromSeconds(10),
            },
            // The channel's own reconnect back-off follows the configured one (its default grows to 120 s).
            InitialReconnectBackoff = TimeSpan.FromSeconds(o.ReconnectMinSeconds),
            MaxReconnectBackoff = TimeSpan.FromSeconds(o.ReconnectMaxSeconds),
            MaxReceiveMessageSize = MaxReceiveMessageBytes,
            MaxSendMessageSize = MaxSendMessageBytes,
            DisposeHttpClient = true,
        });
        Invoker = _channel.Intercept([.. interceptors]);
    }

    public CallInvoker Invoker { get; }

    /// <summary>A current access token for the next call.</summary>
    public ValueTask<string> TokenAsync(CancellationToken cancellationToken) => _tokens.GetAsync(cancellationToken);

    /// <summary>Call options carrying <paramref name="token"/>, cancelled by <paramref name="callCancellation"/>.</summary>
    public static CallOptions Options(string token, CancellationToken callCancellation, TimeSpan? timeout = null, bool waitForReady = false)
    {
        var headers = new Metadata { { "authorization", "Bearer " + token } };
        DateTime? deadline = timeout is { } t ? DateTime.UtcNow + t : null;
        return new CallOptions(headers, deadline, callCancellation).WithWaitForReady(waitForReady);
    }

    /// <summary>Forgets the token after an <see cref="StatusCode.Unauthenticated"/> answer.</summary>
    public void Refused(RpcException exception, string token)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.StatusCode == StatusCode.Unauthenticated) _tokens.Invalidate(token);
    }

    public void Dispose() => _channel.Dispose();
}
