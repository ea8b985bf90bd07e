using System.Net;
using System.Net.Sockets;

namespace Gateway.Testing;

/// <summary>Loopback ports free at the moment of asking, for a server a test starts on a port it must know first. Linked into each test project.</summary>
internal static class FreePorts
{
    /// <summary><paramref name="count"/> different ports: all are held at once while they are chosen, so none is handed out twice.</summary>
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

    public static int One() => Take(1)[0];
}
