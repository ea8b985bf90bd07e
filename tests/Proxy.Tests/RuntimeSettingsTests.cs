using System.Globalization;
using System.Text.Json;

namespace Gateway.Proxy.Tests;

/// <summary>
/// The runtime settings the proxy ships with were chosen by measurement (docs/benchmarks.notes.md);
/// these tests keep them from being dropped by accident.
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
}
