using System.Diagnostics;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Demo;
using Gateway.Contracts.Grpc;
using Gateway.ControlPlane.Tests.Infrastructure;
using System.Net;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// A change committed on a replica is published by that replica at once, not at its next poll:
/// with a 10 s poll, a revocation still reaches the watching proxy in well under that.
/// </summary>
[Collection(SlowPollSqliteCollection.Name)]
public sealed class RevisionSignalTests(SlowPollSqliteFixture fixture)
{
    [Fact]
    public async Task AChangeCommittedOnThisReplica_IsPublishedAtOnce_NotAtTheNextPoll()
    {
        fixture.Require();
        using var dev = await fixture.ClientAsAsync("dev@demo.bank");
        var pem = await SnapshotWatch.PublicKeyAsync(fixture);
        using var channel = fixture.Channel(await fixture.ProxyTokenAsync());
        using var call = new SnapshotFeed.SnapshotFeedClient(channel).Watch(new WatchRequest { NodeId = "signal-watcher" }, cancellationToken: Api.Ct);
        var stream = call.ResponseStream;

        var created = await (await dev.PostJsonAsync("/api/keys", new CreateApiKeyRequest(DemoCatalog.TeamId, "signalled", DateTimeOffset.UtcNow.AddDays(10))))
            .ReadAsync<CreatedApiKeyDto>(HttpStatusCode.Created);
        var keyId = created.Details.KeyId;
        await SnapshotWatch.NextAsync(stream, pem, s => s.Keys.Any(k => k.KeyId == keyId), TimeSpan.FromSeconds(30));

        // Right after a publication the next poll is up to 10 s away; the revocation must not wait for it.
        var clock = Stopwatch.StartNew();
        await (await dev.PostJsonAsync($"/api/keys/{keyId}/revoke", new { })).ReadAsync<ApiKeyDto>();
        await SnapshotWatch.NextAsync(stream, pem, s => !s.Keys.Any(k => k.KeyId == keyId), TimeSpan.FromSeconds(30));
        TestContext.Current.TestOutputHelper?.WriteLine($"The revocation reached the feed in {clock.Elapsed.TotalMilliseconds:F0} ms (poll: 10,000 ms).");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The revocation took {clock.Elapsed.TotalMilliseconds:F0} ms: it waited for the 10 s poll.");
    }
}
