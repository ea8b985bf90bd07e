using System.Net;
using System.Text.Json;
using Gateway.Contracts.Keys;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Snapshots.Grpc;
using Gateway.Testing;

namespace Gateway.Integration.Tests.ControlPlaneFeed;

/// <summary>The control plane unreachable at start: last-known-good, readiness, and the feed retrying until it is back.</summary>
[Collection(FeedCollection.Name)]
public sealed class LastKnownGoodTests(FeedFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Restart_WhileTheControlPlaneIsDown_StartsFromLastKnownGood_AndReconnectsWhenItIsBack()
    {
        var data = Directory.CreateTempSubdirectory("feed-lkg-").FullName;
        try
        {
            SnapshotStore firstStore;
            await using (var first = await fixture.StartProxyAsync("feed-proxy-lkg", dataDirectory: data))
            {
                firstStore = first.Store;
                Assert.Equal(ControlPlaneSnapshotSource.SourceKind, firstStore.Current!.Source);
            }
            // The last revision the first proxy applied (stopped now, so it is the one on disk).
            var revision = firstStore.Current!.Revision;
            Assert.True(File.Exists(Path.Combine(data, LastKnownGood.SignedFileName)));

            await using var relay = new TcpRelay(fixture.ControlPlaneGrpc, up: false);
            await using var second = await fixture.StartProxyAsync("feed-proxy-lkg", Through(relay), dataDirectory: data);

            Assert.Equal(SnapshotSourceKinds.LastKnownGood, second.Store.Current!.Source);
            Assert.Equal(revision, second.Store.Current.Revision);
            Assert.Equal(HttpStatusCode.OK, await HealthAsync(second));
            using (var client = second.Client(DemoKeys.Key))
            using (var chat = await client.PostAsync("/v1/chat/completions",
                SnapshotFeedTests.Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}"""), Ct))
            {
                Assert.True(chat.StatusCode == HttpStatusCode.OK, await chat.Content.ReadAsStringAsync(Ct));
            }

            relay.Up = true;
            await Eventually.HoldsAsync(() => second.Source.AppliedRevision >= revision, Patience,
                "the proxy reconnects and applies the control plane's snapshot");
            Assert.Equal(ControlPlaneSnapshotSource.SourceKind, second.Store.Current!.Source);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task ALastKnownGoodCopyEditedOnDisk_IsRefusedAtStart_AndTheProxyWaitsForTheFeed()
    {
        var data = Directory.CreateTempSubdirectory("feed-lkg-edited-").FullName;
        try
        {
            await using (var first = await fixture.StartProxyAsync("feed-proxy-lkg-edited", dataDirectory: data))
            {
                Assert.NotNull(first.Store.Current);
            }
            // Someone with the disk lets their own key in: the demo key's hash, in the copy's payload, becomes theirs.
            var path = Path.Combine(data, LastKnownGood.SignedFileName);
            var message = Contracts.Grpc.SignedSnapshot.Parser.ParseFrom(await File.ReadAllBytesAsync(path, Ct));
            var payload = message.Payload.ToByteArray();
            if (message.Gzip) Assert.True(SignedSnapshotReader.TryInflate(message.Payload.Span, int.MaxValue, out payload, out _));
            var snapshot = Contracts.Snapshot.SnapshotJson.Deserialize(payload);
            var intruder = Contracts.Keys.ApiKeyFormat.Compose(DemoKeys.KeyId, new string('Z', Contracts.Keys.ApiKeyFormat.SecretLength));
            snapshot.Keys = [.. snapshot.Keys.Select(k => k.KeyId == DemoKeys.KeyId ? k with { Hash = Contracts.Keys.ApiKeyFormat.HashToHex(intruder) } : k)];
            var json = Contracts.Snapshot.SnapshotJson.SerializeToUtf8Bytes(snapshot);
            message.Gzip = false;
            message.Payload = Google.Protobuf.ByteString.CopyFrom(json);
            await File.WriteAllBytesAsync(path, Google.Protobuf.MessageExtensions.ToByteArray(message), Ct);

            await using var relay = new TcpRelay(fixture.ControlPlaneGrpc, up: false);
            await using var second = await fixture.StartProxyAsync("feed-proxy-lkg-edited", Through(relay), dataDirectory: data);

            Assert.Null(second.Store.Current);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await HealthAsync(second));
            relay.Up = true;
            await Eventually.HoldsAsync(async () => await HealthAsync(second) == HttpStatusCode.OK, Patience, "the proxy becomes ready once the feed delivers");
            Assert.Equal(ControlPlaneSnapshotSource.SourceKind, second.Store.Current!.Source);
            using var client = second.Client(intruder);
            using var refused = await client.GetAsync("/v1/models", Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Start_WithTheControlPlaneDownAndNoLastKnownGood_IsNotReady_UntilTheFeedArrives()
    {
        await using var relay = new TcpRelay(fixture.ControlPlaneGrpc, up: false);
        await using var proxy = await fixture.StartProxyAsync("feed-proxy-cold", Through(relay));

        Assert.Null(proxy.Store.Current);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await HealthAsync(proxy));
        using (var client = proxy.Client(DemoKeys.Key))
        using (var refused = await client.GetAsync("/v1/models", Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("gateway_unavailable", JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        relay.Up = true;
        await Eventually.HoldsAsync(async () => await HealthAsync(proxy) == HttpStatusCode.OK, Patience, "the proxy becomes ready once the feed delivers");
        Assert.Equal(ControlPlaneSnapshotSource.SourceKind, proxy.Store.Current!.Source);
    }

    [Fact]
    public async Task DroppedFeed_Reconnects_AndTheNextChangeArrives()
    {
        await using var relay = new TcpRelay(fixture.ControlPlaneGrpc, up: true);
        await using var proxy = await fixture.StartProxyAsync("feed-proxy-drop", Through(relay));
        var connections = relay.Forwarded;

        relay.DropAll();
        using var dev = fixture.ControlPlaneClient(await fixture.UserTokenAsync("dev@demo.bank"));
        var (key, _) = await SnapshotFeedTests.CreateKeyAsync(dev, "feed-after-drop");

        using var client = proxy.Client(key);
        await Eventually.HoldsAsync(async () => await SnapshotFeedTests.StatusAsync(client) == HttpStatusCode.OK, Patience,
            "the key created after the drop reaches the reconnected proxy");
        Assert.True(relay.Forwarded > connections);
    }

    private static Dictionary<string, string?> Through(TcpRelay relay) => new()
    {
        ["Proxy:ControlPlane:GrpcUrl"] = relay.Url.ToString(),
        ["Proxy:ControlPlane:InitialLoadSeconds"] = "2",
    };

    private static async Task<HttpStatusCode> HealthAsync(FeedProxy proxy)
    {
        using var client = proxy.Client(null);
        using var response = await client.GetAsync("/health", Ct);
        return response.StatusCode;
    }
}
