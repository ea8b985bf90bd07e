using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Testing.Redis;

/// <summary>
/// A real <c>redis-server</c> (Debian's package) on 127.0.0.1 and a free port, started by the
/// test and stopped by its own PID. <see cref="Kill"/> and <see cref="StartAsync"/> simulate an
/// outage on the same port; with <c>persistent</c> the data survives the kill (AOF, fsync always).
/// Outside CI a missing binary skips the test; in CI (<c>GATEWAY_TEST_REQUIRE_SERVICES=1</c>) it fails.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/redis-server";

    private readonly bool _persistent;
    private readonly string _directory;
    private Process? _process;

    private RedisServer(int port, bool persistent)
    {
        Port = port;
        _persistent = persistent;
        _directory = Directory.CreateTempSubdirectory("redis-test-").FullName;
    }

    public int Port { get; private set; }

    /// <summary>The StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public bool Running => _process is { HasExited: false };

    public static void Require()
    {
        if (!File.Exists(Binary)) ServiceRequirement.Unmet("Redis tests need /usr/bin/redis-server (Debian package redis-server; .ci/run installs it).");
    }

    public static async Task<RedisServer> StartNewAsync(bool persistent = false)
    {
        Require();
        for (var attempt = 0; ; attempt++)
        {
            var server = new RedisServer(FreePort(), persistent);
            try
            {
                await server.StartAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                await server.DisposeAsync(); // the port was taken in between: another one
            }
        }
    }

    /// <summary>Starts (or restarts) the server on its port and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (Running) return;
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in Arguments()) info.ArgumentList.Add(arg);
        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"redis-server exited with {_process.ExitCode} on port {Port}.");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }
        throw new InvalidOperationException($"redis-server did not listen on port {Port} within 15 s.");
    }

    /// <summary>SIGKILL: the outage as a proxy sees it (connections reset).</summary>
    /// <remarks>
    /// Waits for the exit asynchronously. Under inline socket completions (the proxy image's setting;
    /// Proxy.Tests run under it, Integration.Tests, which use this class too, do not) a caller can be
    /// running on the socket engine's thread, and a blocking wait there never sees the exit, which
    /// needs that thread to read the pipes' end.
    /// </remarks>
    public async Task KillAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    private IEnumerable<string> Arguments()
    {
        yield return "--port";
        yield return Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "--bind";
        yield return "127.0.0.1";
        yield return "--dir";
        yield return _directory;
        yield return "--save";
        yield return "";
        yield return "--appendonly";
        yield return _persistent ? "yes" : "no";
        yield return "--appendfsync";
        yield return "always";
        yield return "--daemonize";
        yield return "no";
        yield return "--loglevel";
        yield return "warning";
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
