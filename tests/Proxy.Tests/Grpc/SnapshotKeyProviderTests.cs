using System.Security.Cryptography;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.ControlPlane;
using Gateway.Proxy.Snapshots.Grpc;
using Gateway.Proxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Proxy.Tests.Grpc;

/// <summary>The verification key: pinned keys are never replaced; a fetched key is fetched again (rate-limited) after a rotation.</summary>
public sealed class SnapshotKeyProviderTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _time = new();
    private readonly ECDsa _first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private volatile ECDsa _served;

    public SnapshotKeyProviderTests() => _served = _first;

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    private Task<FakeUpstream> ControlPlaneAsync() => FakeUpstream.StartAsync(async (context, request) =>
    {
        context.Response.StatusCode = request.PathAndQuery == "/snapshot/public-key" ? 200 : 404;
        await context.Response.WriteAsync(_served.ExportSubjectPublicKeyInfoPem());
    });

    private SnapshotKeyProvider Provider(FakeUpstream controlPlane, string? pinned = null)
    {
        var http = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        var options = new ControlPlaneOptions { GrpcUrl = "http://127.0.0.1:1", Authority = controlPlane.Url, ClientSecret = "s", SigningPublicKey = pinned };
        return new SnapshotKeyProvider(Options.Create(options), http, _time, NullLogger<SnapshotKeyProvider>.Instance);
    }

    [Fact]
    public async Task UnpinnedKey_IsFetchedOnce_AndAgainAfterARotation_AtMostEveryThirtySeconds()
    {
        await using var controlPlane = await ControlPlaneAsync();
        var provider = Provider(controlPlane);

        var key = await provider.GetAsync(Ct);
        Assert.Equal(SnapshotSigning.KeyIdOf(_first), key.KeyId);
        Assert.False(key.Pinned);
        await provider.GetAsync(Ct);
        Assert.Single(controlPlane.Requests);

        _served = _second;
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(SnapshotSigning.KeyIdOf(_first), (await provider.RefreshAsync(Ct)).KeyId);
        Assert.Single(controlPlane.Requests);

        _time.Advance(TimeSpan.FromSeconds(21));
        Assert.Equal(SnapshotSigning.KeyIdOf(_second), (await provider.RefreshAsync(Ct)).KeyId);
        Assert.Equal(SnapshotSigning.KeyIdOf(_second), (await provider.GetAsync(Ct)).KeyId);
        Assert.Equal(2, controlPlane.Requests.Count);
    }

    [Fact]
    public async Task PinnedKey_IsNeverFetchedNorReplaced()
    {
        await using var controlPlane = await ControlPlaneAsync();
        _served = _second;
        var provider = Provider(controlPlane, pinned: _first.ExportSubjectPublicKeyInfoPem());

        _time.Advance(TimeSpan.FromMinutes(5));
        var key = await provider.RefreshAsync(Ct);

        Assert.True(key.Pinned);
        Assert.Equal(SnapshotSigning.KeyIdOf(_first), key.KeyId);
        Assert.Empty(controlPlane.Requests);
    }

    [Fact]
    public async Task NotAKey_FromTheControlPlane_IsAClearError()
    {
        await using var controlPlane = await FakeUpstream.StartAsync(async (context, _) => await context.Response.WriteAsync("hello"));

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => Provider(controlPlane).GetAsync(Ct).AsTask());

        Assert.Contains("/snapshot/public-key did not answer an ECDSA public key", ex.Message, StringComparison.Ordinal);
    }
}
