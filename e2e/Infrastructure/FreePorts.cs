using System.Net;
using System.Net.Sockets;

namespace Gateway.E2E.Tests.Infrastructure;

internal static class FreePorts
{
    /// <summary>Ports free right now on loopback (the fixed default-run ports may be taken by another run).</summary>
    public static int[] Take(int count)
    {
        var listeners = new TcpListener[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                listeners[i] = new TcpListener(IPAddress.Loopback, 0);
                listeners[i].Start();
            }
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners) listener?.Stop();
        }
    }
}
