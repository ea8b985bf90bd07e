using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Integration.Tests.ControlPlaneFeed;

/// <summary>
/// A TCP relay on 127.0.0.1 (port 0) in front of the control plane's gRPC port, to take the
/// control plane "down" for one proxy without stopping it: while <see cref="Up"/> is false every
/// connection is accepted and closed at once; <see cref="DropAll"/> cuts the open ones.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    private readonly Task _accepting;

    public TcpRelay(Uri target, bool up)
    {
        _target = new IPEndPoint(IPAddress.Loopback, target.Port);
        Up = up;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>Forward connections (true) or refuse them (false).</summary>
    public volatile bool Up;

    /// <summary>Connections forwarded so far.</summary>
    public int Forwarded => Volatile.Read(ref _forwarded);

    private int _forwarded;

    /// <summary>Closes every forwarded connection (the peer sees a reset).</summary>
    public void DropAll()
    {
        foreach (var client in _open.Keys)
        {
            try
            {
                if (client.Client is { } socket) socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                // closing already
            }
            client.Dispose();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            if (!Up)
            {
                inbound.Client.LingerState = new LingerOption(true, 0);
                inbound.Dispose();
                continue;
            }
            _ = Task.Run(() => ForwardAsync(inbound));
        }
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        _open[inbound] = 0;
        _open[outbound] = 0;
        try
        {
            await outbound.ConnectAsync(_target, _stop.Token);
            Interlocked.Increment(ref _forwarded);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // a dropped or refused connection ends the relay of this pair
        }
        finally
        {
            _open.TryRemove(inbound, out _);
            _open.TryRemove(outbound, out _);
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        await _accepting;
        _stop.Dispose();
    }
}
