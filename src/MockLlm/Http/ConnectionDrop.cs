using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;

namespace Gateway.MockLlm.Http;

/// <summary>
/// The <c>x-mock-drop-after-chunks</c> drop. Kestrel's <see cref="HttpContext.Abort"/> resets the
/// connection at once, and a reset makes the client's TCP stack discard bytes it has not read yet,
/// so the chunks already sent could vanish. The drop therefore half-closes the socket first (the
/// client reads every byte sent, then end-of-stream in the middle of the body), waits for the
/// client to hang up (bounded), and then aborts.
/// </summary>
internal static class ConnectionDrop
{
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
