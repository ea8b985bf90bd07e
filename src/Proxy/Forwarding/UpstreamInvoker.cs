using System.Net;
using System.Net.Sockets;

namespace Gateway.Proxy.Forwarding;

/// <summary>
/// The one HTTP client to every provider: a <see cref="SocketsHttpHandler"/> with no redirects,
/// no cookies, no automatic decompression and no system proxy. The connect timeout is the
/// provider's, set per request (<see cref="ConnectTimeout"/>) and applied in the connect callback.
/// </summary>
internal sealed class UpstreamInvoker : IDisposable
{
    public static readonly HttpRequestOptionsKey<TimeSpan> ConnectTimeout = new("gateway.connect-timeout");
    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    public UpstreamInvoker()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ActivityHeadersPropagator = null,
            ConnectCallback = ConnectAsync,
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var timeout = context.InitialRequestMessage.Options.TryGetValue(ConnectTimeout, out var configured) ? configured : DefaultConnectTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, deadline.Token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"Connecting to {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port} took longer than {timeout.TotalSeconds:0.#} s.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => Invoker.Dispose();
}
