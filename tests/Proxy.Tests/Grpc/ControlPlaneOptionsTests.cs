using System.Security.Cryptography;
using Gateway.Proxy.ControlPlane;
using Gateway.Proxy.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Tests.Grpc;

/// <summary>A half-configured control-plane link stops the start with a message naming the setting.</summary>
public sealed class ControlPlaneOptionsTests
{
    private static Dictionary<string, string?> Valid(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Proxy:ControlPlane:GrpcUrl"] = "http://127.0.0.1:1",
            ["Proxy:ControlPlane:Authority"] = "http://127.0.0.1:1",
            ["Proxy:ControlPlane:ClientSecret"] = "secret",
            ["Proxy:ControlPlane:InitialLoadSeconds"] = "0",
        };
        foreach (var (key, value) in overrides) settings[key] = value;
        return settings;
    }

    [Theory]
    [InlineData("Proxy:ControlPlane:GrpcUrl", "localhost:5083", "GrpcUrl must be an absolute http or https URL")]
    [InlineData("Proxy:ControlPlane:ClientSecret", "", "ClientSecret is required")]
    [InlineData("Proxy:ControlPlane:ClientId", "", "ClientId is required")]
    [InlineData("Proxy:ControlPlane:Authority", "", "Authority (or TokenUrl) is required")]
    [InlineData("Proxy:ControlPlane:Authority", "ftp://cp", "Authority must be an absolute http or https URL")]
    [InlineData("Proxy:ControlPlane:SigningPublicKey", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "SigningPublicKey is not an ECDSA public key")]
    [InlineData("Proxy:ControlPlane:SigningPublicKeyFile", "/nonexistent/key.pem", "SigningPublicKeyFile could not be read")]
    [InlineData("Proxy:ControlPlane:HeartbeatSeconds", "0", "HeartbeatSeconds must be between")]
    [InlineData("Proxy:ControlPlane:ReconnectMaxSeconds", "0.1", "ReconnectMaxSeconds between it and 3600")]
    [InlineData("Proxy:Snapshot:File", "/tmp/snapshot.json", "a proxy has one snapshot source")]
    [InlineData("Proxy:NodeId", "node with spaces", "Proxy:NodeId 'node with spaces' must be")]
    public async Task BadSetting_StopsTheStart_NamingIt(string key, string value, string message)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => ProxyHost.StartAsync(null, Valid((key, value))));

        Assert.Contains(ex.Failures, f => f.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TokenUrlAndPinnedKey_AreEnoughWithoutAuthority()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var host = await ProxyHost.StartAsync(null, Valid(
            ("Proxy:ControlPlane:Authority", ""),
            ("Proxy:ControlPlane:TokenUrl", "http://127.0.0.1:1/connect/token"),
            ("Proxy:ControlPlane:SigningPublicKey", key.ExportSubjectPublicKeyInfoPem())));

        var options = host.App.Services.GetRequiredService<IOptions<ControlPlaneOptions>>().Value;
        Assert.Equal(new Uri("http://127.0.0.1:1/connect/token"), options.TokenEndpoint());
        Assert.NotNull(host.App.Services.GetService<Gateway.Proxy.Snapshots.Grpc.ControlPlaneSnapshotSource>());
    }

    [Fact]
    public async Task WithoutGrpcUrl_TheProxyStaysStandalone()
    {
        await using var host = await ProxyHost.StartAsync(null, new Dictionary<string, string?> { ["Proxy:ControlPlane:ClientSecret"] = "" });

        Assert.Null(host.App.Services.GetService<Gateway.Proxy.Snapshots.Grpc.ControlPlaneSnapshotSource>());
        Assert.Null(host.App.Services.GetService<Gateway.Proxy.Usage.Grpc.GrpcUsageShipper>());
    }
}
