using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;

namespace Gateway.MockLlm.Http;

/// <summary>
/// The <c>x-mock-drop-after-chunks</c> drop. <see cref="HttpContext.Abort"/> alone resets the
/// connection at once: bytes still in Kestrel's output pipe are discarded and the reset makes the
/// client's TCP stack drop what it has not read yet, so the chunks "already sent" vanish. So:
/// <list type="bullet">
/// <item>An SSE stream that will drop declares a Content-Length it never reaches and the handler
/// returns after N chunks: Kestrel sends every byte written, then closes the connection mid-body
/// (the client sees the chunks, then a premature end of the response).</item>
/// <item>A JSON answer (nothing written yet) and a realtime WebSocket use <see cref="DropAsync"/>:
/// half-close the socket (data already on the socket is delivered before the FIN), wait for the
/// client to hang up (bounded), then <see cref="HttpContext.Abort"/>. With buffered writes
/// (<c>MockLlm:UnbufferedWrites=false</c>) the last WebSocket frames may still be in Kestrel's pipe.</item>
/// </list>
/// </summary>
internal static class ConnectionDrop
{
    /// <summary>The Content-Length a stream that will drop declares (1 TiB: never reached).</summary>
    public const long UnreachableContentLength = 1L << 40;

    private static readonly TimeSpan ClientHangUpWait = TimeSpan.FromSeconds(30);

    public static async Task DropAsync(HttpContext context)
    {
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is not null)
        {
            try
            {
                socket.Shutdown(SocketShutdown.Send);
                await Task.Delay(ClientHangUpWait, context.RequestAborted);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client hung up (or the socket is already gone): abort below.
            }
        }
        context.Abort();
    }
}
