using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Gateway.Proxy.Tests;

/// <summary>
/// The runtime settings the proxy ships with were chosen by measurement (docs/benchmarks.notes.md);
/// these tests keep them from being dropped by accident. That both images ship inline socket
/// completions is checked with the rest of the Dockerfiles in Integration.Tests' ComposeFileTests.
/// </summary>
public sealed class RuntimeSettingsTests
{
    private static JsonElement ProxyRuntimeConfig()
    {
        // The proxy's own runtimeconfig, copied next to the test assembly with Proxy.dll.
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Proxy.runtimeconfig.json")));
        return doc.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }

    [Fact]
    public void Proxy_ShipsWorkstationConcurrentGc_ConservingMemory_WithTieredPgo()
    {
        var settings = ProxyRuntimeConfig();
        Assert.False(settings.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(settings.GetProperty("System.GC.Concurrent").GetBoolean());
        Assert.Equal(7, settings.GetProperty("System.GC.ConserveMemory").GetInt32());
        Assert.True(settings.GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }

    [Fact]
    public void Proxy_ShipsWithoutCultureData()
    {
        Assert.True(ProxyRuntimeConfig().GetProperty("System.Globalization.Invariant").GetBoolean());
    }

    [Fact]
    public void TheseTests_RunWithoutCultureData_AsTheProxyShips()
    {
        // Without ICU only the invariant culture exists; with it, en-US would be found.
        Assert.Throws<CultureNotFoundException>(() => new CultureInfo("en-US"));
    }

    [Fact]
    public async Task TheseTests_RunWithInlineSocketCompletions_AsTheProxyImageShips()
    {
        // A receive that has to wait completes on the socket engine's thread, not the pool's.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, TestContext.Current.CancellationToken);
        using var server = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        var buffer = new byte[1];
        var receive = client.Client.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken);
        Assert.False(receive.IsCompleted);
        var continuation = receive.AsTask().ContinueWith(_ => Thread.CurrentThread.IsThreadPoolThread, TaskContinuationOptions.ExecuteSynchronously);
        await server.Client.SendAsync(new byte[] { 1 }, SocketFlags.None, TestContext.Current.CancellationToken);
        Assert.False(await continuation, "the receive's continuation ran on a thread-pool thread: inline socket completions are off");
    }
}
