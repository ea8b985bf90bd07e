using System.IO.Compression;
using System.Security.Cryptography;
using Gateway.Contracts.Grpc;
using Gateway.Contracts.Snapshot;
using Grpc.Core;

namespace Gateway.ControlPlane.Tests.Infrastructure;

/// <summary>Reads the snapshot feed as a proxy would: verify the signature, unzip, parse.</summary>
public static class SnapshotWatch
{
    /// <summary>Verifies and decodes one streamed snapshot with the control plane's public key.</summary>
    public static GatewaySnapshot Decode(SignedSnapshot message, string publicKeyPem)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = message.Payload.ToByteArray();
        if (message.Gzip)
        {
            using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            payload = output.ToArray();
        }
        using var key = ECDsa.Create();
        key.ImportFromPem(publicKeyPem);
        Assert.True(SnapshotSigning.Verify(key, payload, message.Signature.Span), "The snapshot's signature does not verify.");
        Assert.Equal(SnapshotSigning.KeyIdOf(key), message.SigningKeyId);
        var snapshot = SnapshotJson.Deserialize(payload);
        Assert.Equal(message.Revision, snapshot.Revision);
        return snapshot;
    }

    public static async Task<string> PublicKeyAsync(ControlPlaneFixture fixture)
    {
        using var client = fixture.Client();
        return await client.GetStringAsync(new Uri("/snapshot/public-key", UriKind.Relative), Api.Ct);
    }

    /// <summary>
    /// Reads an open watch stream, as a running proxy would, until a snapshot satisfies
    /// <paramref name="predicate"/>; fails if the stream ends or <paramref name="within"/> passes.
    /// </summary>
    public static async Task<GatewaySnapshot> NextAsync(IAsyncStreamReader<SignedSnapshot> stream, string publicKeyPem, Func<GatewaySnapshot, bool> predicate, TimeSpan within)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(predicate);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Api.Ct);
        deadline.CancelAfter(within);
        while (true)
        {
            Assert.True(await stream.MoveNext(deadline.Token));
            var snapshot = Decode(stream.Current, publicKeyPem);
            if (predicate(snapshot)) return snapshot;
        }
    }

    /// <summary>Watches until a snapshot satisfies <paramref name="predicate"/> (10 s at most).</summary>
    public static async Task<GatewaySnapshot> WaitForAsync(ControlPlaneFixture fixture, Func<GatewaySnapshot, bool> predicate, string nodeId = "test-watcher")
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var pem = await PublicKeyAsync(fixture);
        using var channel = fixture.Channel(await fixture.ProxyTokenAsync());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Api.Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using var call = new SnapshotFeed.SnapshotFeedClient(channel).Watch(new WatchRequest { NodeId = nodeId }, cancellationToken: timeout.Token);
        await foreach (var message in call.ResponseStream.ReadAllAsync(timeout.Token))
        {
            var snapshot = Decode(message, pem);
            if (predicate(snapshot)) return snapshot;
        }
        throw new InvalidOperationException("The feed ended.");
    }
}
