using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Grpc;
using Gateway.Contracts.Snapshot;
using Gateway.Contracts.Usage;
using Gateway.ControlPlane.Features.Snapshots;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.ScaleOut;

/// <summary>
/// Two control-plane replicas on one PostgreSQL database serving proxies (snapshot feed, usage
/// ingestion) and the Portal's API at once: revisions stay monotonic and agree across replicas,
/// usage shipped to both at once lands once.
/// </summary>
public sealed class ControlPlaneReplicasTests(ControlPlaneReplicas cp) : IClassFixture<ControlPlaneReplicas>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConcurrentChangesThroughBothReplicas_EachWatcherSeesStrictlyIncreasingRevisions_ThatAgreeAcrossReplicas()
    {
        cp.Require();
        using var keyA = await cp.PublicKeyAsync(0);
        using var keyB = await cp.PublicKeyAsync(1);
        Assert.Equal(SnapshotSigning.KeyIdOf(keyA), SnapshotSigning.KeyIdOf(keyB)); // one signing key, shared
        var proxyToken = await cp.ProxyTokenAsync(0); // issued by A, accepted by B: one identity
        var seen = new[] { new ConcurrentQueue<GatewaySnapshot>(), new ConcurrentQueue<GatewaySnapshot>() };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watchers = Enumerable.Range(0, 2).Select(i => WatchAsync(i, proxyToken, i == 0 ? keyA : keyB, seen[i], stop.Token)).ToArray();

        // Twenty teams created at once, half through each replica, as two admins would from the Portal.
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var ids = Enumerable.Range(0, 20).Select(i => $"team-r{suffix}-{i:D2}").ToList();
        var tokens = new[] { await cp.AdminTokenAsync(0), await cp.AdminTokenAsync(1) };
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
        {
            using var api = cp.Api(i % 2, tokens[i % 2]);
            using var response = await api.PostAsJsonAsync("/api/teams", new CreateTeamRequest(ids[i], $"Replica team {i}", $"CC-R{i}", new LimitSpec(RequestsPerMinute: 100 + i)), ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        });

        // Both replicas publish the end state, and both APIs list every team.
        await WaitUntilAsync(() => seen.All(q => q.LastOrDefault() is { } s && ids.All(id => s.Teams.Any(t => t.Id == id))), "a replica never published all the teams: " + string.Join(" | ", seen.Select((q, i) => $"replica {i}: {q.Count} snapshots, last revision {q.LastOrDefault()?.Revision}, {q.LastOrDefault()?.Teams.Count(t => ids.Contains(t.Id))} of the teams, watcher {watchers[i].Status} {watchers[i].Exception?.GetBaseException().Message}")));
        await stop.CancelAsync();
        await Task.WhenAll(watchers);
        for (var replica = 0; replica < 2; replica++)
        {
            using var api = cp.Api(replica, tokens[1 - replica]);
            var listed = await api.GetFromJsonAsync<PagedResult<TeamDto>>($"/api/teams?pageSize=200", Ct);
            Assert.Superset(ids.ToHashSet(), listed!.Items.Select(t => t.Id).ToHashSet());
        }

        for (var replica = 0; replica < 2; replica++)
        {
            var revisions = seen[replica].Select(s => s.Revision).ToList();
            Assert.True(revisions.Zip(revisions.Skip(1)).All(p => p.Second > p.First), $"replica {replica} sent revisions out of order: {string.Join(", ", revisions)}");
        }
        // The same revision means the same configuration, whichever replica compiled it (the issue
        // time, the live-proxy count and the month's settled usage are as of each replica's compile).
        var byRevision = seen[1].ToDictionary(s => s.Revision);
        var common = 0;
        foreach (var a in seen[0])
        {
            if (!byRevision.TryGetValue(a.Revision, out var b)) continue;
            common++;
            Assert.Equal(Configuration(a), Configuration(b));
        }
        Assert.True(common > 0, "the two replicas never published a common revision");
    }

    [Fact]
    public async Task TheSameUsageBatches_ShippedToBothReplicasAtOnce_AreInsertedExactlyOnce()
    {
        cp.Require();
        var tokens = new[] { await cp.ProxyTokenAsync(0), await cp.ProxyTokenAsync(1) };
        using var channelA = cp.Channel(0, tokens[0]);
        using var channelB = cp.Channel(1, tokens[1]);
        using var callA = new UsageIngestion.UsageIngestionClient(channelA).Ship(cancellationToken: Ct);
        using var callB = new UsageIngestion.UsageIngestionClient(channelB).Ship(cancellationToken: Ct);
        var all = new List<string>();
        for (var round = 0; round < 10; round++)
        {
            var batch = new UsageBatch { BatchId = $"replica-batch-{round}-{Guid.NewGuid():N}", NodeId = "replica-test" };
            for (var i = 0; i < 50; i++)
            {
                var record = Record($"replica-{round}-{i}-{Guid.NewGuid():N}");
                all.Add(record.RequestId);
                batch.Records.Add(record.ToMessage());
            }
            var acks = await Task.WhenAll(ShipAsync(callA, batch), ShipAsync(callB, batch));
            Assert.Equal(50, acks.Sum(a => a.Inserted));
            Assert.Equal(50, acks.Sum(a => a.Duplicates));
            Assert.All(acks, a => Assert.Equal(0, a.Rejected));
        }
        await callA.RequestStream.CompleteAsync();
        await callB.RequestStream.CompleteAsync();
        Assert.Equal(all.Count, await cp.CountUsageAsync(all));
    }

    [Fact]
    public async Task AProxyMovingToAReplicaBehindIt_IsNeverSentARevisionOlderThanTheOneItHolds()
    {
        cp.Require();
        var replicaB = cp.Replicas[1].Services.GetRequiredService<SnapshotHub>();
        var holds = replicaB.Current!.Revision + 1; // as if replica A had already sent the next one
        using var key = await cp.PublicKeyAsync(1);
        using var channel = cp.Channel(1, await cp.ProxyTokenAsync(1));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        using var call = new SnapshotFeed.SnapshotFeedClient(channel).Watch(new WatchRequest { NodeId = "moved-proxy", KnownRevision = holds }, cancellationToken: timeout.Token);
        var first = Task.Run(async () => await call.ResponseStream.MoveNext(timeout.Token) ? ControlPlaneReplicas.Decode(call.ResponseStream.Current, key) : null, timeout.Token);

        // Two changes through replica A: the revision the proxy holds, then a newer one.
        using var api = cp.Api(0, await cp.AdminTokenAsync(0));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 2; i++)
        {
            using var response = await api.PostAsJsonAsync("/api/teams", new CreateTeamRequest($"team-m{suffix}-{i}", "Moved", "CC-M"), Ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            if (i == 0) await WaitUntilAsync(() => replicaB.Current!.Revision >= holds, "replica B never reached the proxy's revision");
        }
        var snapshot = await first;
        Assert.NotNull(snapshot);
        Assert.True(snapshot.Revision > holds, $"replica B sent revision {snapshot.Revision} to a proxy holding {holds}");
    }

    private async Task WatchAsync(int replica, string token, ECDsa key, ConcurrentQueue<GatewaySnapshot> seen, CancellationToken stop)
    {
        using var channel = cp.Channel(replica, token);
        using var call = new SnapshotFeed.SnapshotFeedClient(channel).Watch(new WatchRequest { NodeId = $"watcher-{replica}" }, cancellationToken: stop);
        try
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(stop)) seen.Enqueue(ControlPlaneReplicas.Decode(message, key));
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
        }
    }

    private static string Configuration(GatewaySnapshot s) =>
        System.Text.Encoding.UTF8.GetString(SnapshotJson.SerializeToUtf8Bytes(s with
        {
            IssuedAt = default,
            LiveProxies = 0,
            Subscriptions = [.. s.Subscriptions.Select(x => x with { Usage = null })],
        }));

    private static async Task<UsageAck> ShipAsync(AsyncDuplexStreamingCall<UsageBatch, UsageAck> call, UsageBatch batch)
    {
        await call.RequestStream.WriteAsync(batch, Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        return call.ResponseStream.Current;
    }

    private static UsageRecord Record(string requestId) => new()
    {
        RequestId = requestId, Timestamp = DateTimeOffset.UtcNow, ProxyNode = "replica-test", KeyId = "demo00000001", TeamId = "team-demo",
        SubscriptionId = "sub-demo-gpt-4o", ModelAlias = "gpt-4o", ModelVersion = "gpt-4o-2024-08-06", Operation = "chat",
        InputTokens = 100, OutputTokens = 50, Cost = 0.00075m, Currency = "USD", LatencyMs = 12.5, Status = 200, Outcome = UsageOutcomes.Completed,
    };

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail(failure);
            await Task.Delay(20, Ct);
        }
    }
}
