using System.Net;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Tests.Infrastructure;

namespace Gateway.Proxy.Tests;

public sealed class HotReloadTests
{
    [Fact]
    public async Task EditingTheSnapshotFile_RevokesAKeyWithoutARestart()
    {
        await using var upstream = await SmartUpstream.StartAsync();
        var dir = Directory.CreateTempSubdirectory("proxy-reload-");
        var file = Path.Combine(dir.FullName, "snapshot.json");
        var snapshot = TestWorld.Snapshot(upstream.Url, canaryPercent: 0);
        await File.WriteAllBytesAsync(file, SnapshotJson.SerializeToUtf8Bytes(snapshot), TestContext.Current.CancellationToken);
        await using var proxy = await ProxyHost.StartAsync(null, new Dictionary<string, string?>
        {
            ["Proxy:Snapshot:File"] = file,
            ["Proxy:Snapshot:PollSeconds"] = "0.2",
        });
        using (var before = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("chat")))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        proxy.Store.Applied += _ => applied.TrySetResult();
        var revoked = snapshot with
        {
            Revision = 2,
            Keys = [.. snapshot.Keys.Select(k => k.KeyId == "testkey00001" ? k with { Status = KeyStatus.Revoked } : k)],
        };
        await File.WriteAllBytesAsync(file, SnapshotJson.SerializeToUtf8Bytes(revoked), TestContext.Current.CancellationToken);
        await applied.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        using var after = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("chat"));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(2, proxy.Store.Current!.Revision);
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task NoSnapshotAtAll_AnswersGatewayUnavailable_AndHealthIsUnhealthy()
    {
        await using var proxy = await ProxyHost.StartAsync(null);

        using var response = await Send.PostAsync(proxy, "/v1/chat/completions", Json.ChatBody("chat"));
        using var health = await proxy.Client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"gateway_unavailable\"", await response.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }
}
