using System.Text.Json;
using Gateway.Contracts.Demo;
using Gateway.Contracts.Keys;
using Gateway.Contracts.Usage;
using Gateway.Proxy.ControlPlane;
using Gateway.Proxy.Usage;
using Gateway.Proxy.Usage.Grpc;
using Gateway.Testing;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Gateway.Integration.Tests.ControlPlaneFeed;

/// <summary>The gRPC usage shipper against the control plane's real <c>UsageIngestion</c> service and ledger.</summary>
[Collection(FeedCollection.Name)]
public sealed class UsageShippingTests(FeedFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RequestThroughTheProxy_IsMetered_AndLandsInTheControlPlaneLedgerOnce()
    {
        var requestId = "req-feed-" + Guid.NewGuid().ToString("N")[..16];
        using var client = fixture.Main.Client(DemoKeys.Key);
        client.DefaultRequestHeaders.Add("x-request-id", requestId);
        string version;
        using (var response = await client.PostAsync("/v1/chat/completions",
            SnapshotFeedTests.Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"Count my tokens"}]}"""), Ct))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
            version = response.Headers.GetValues("x-gateway-model-version").Single();
        }

        JsonElement record = default;
        await Eventually.HoldsAsync(async () =>
        {
            var found = (await fixture.LedgerAsync(DemoKeys.KeyId, "&sort=timestamp&order=desc"))
                .Where(r => r.GetProperty("requestId").GetString() == requestId).ToList();
            if (found.Count == 0) return false;
            record = Assert.Single(found);
            return true;
        }, TimeSpan.FromSeconds(15), $"request {requestId} reaches the ledger");

        Assert.Equal(version, record.GetProperty("modelVersion").GetString());
        var input = record.GetProperty("inputTokens").GetInt64();
        var cached = record.GetProperty("cachedInputTokens").GetInt64();
        var output = record.GetProperty("outputTokens").GetInt64();
        Assert.True(input > 0 && output > 0, record.ToString());
        // gpt-4o's prices (both versions): 2.50 input, 1.25 cached input, 10.00 output per million tokens.
        var exact = ((input - cached) * 2.50m + cached * 1.25m + output * 10.00m) / 1_000_000m;
        Assert.Equal(exact, record.GetProperty("cost").GetDecimal());
        Assert.Equal(DemoCatalog.CostCentre, record.GetProperty("costCentre").GetString());

        // The default run's local copy: the same record, once, with the exact metered cost.
        // It is written right after the control plane's acknowledgement, so it may trail by a moment.
        var ledger = Path.Combine(fixture.Main.DataDirectory, "ledger");
        List<JsonElement> copies = [];
        await Eventually.HoldsAsync(() =>
        {
            copies = [.. (Directory.Exists(ledger) ? Directory.GetFiles(ledger, "usage-*.ndjson") : []).SelectMany(File.ReadAllLines)
                .Where(line => line.Contains(requestId, StringComparison.Ordinal)).Select(line => JsonDocument.Parse(line).RootElement)];
            return copies.Count > 0;
        }, TimeSpan.FromSeconds(5), "the local ledger copy holds the record");
        var copy = Assert.Single(copies);
        Assert.Equal(exact, copy.GetProperty("cost").GetDecimal());
        Assert.Equal(output, copy.GetProperty("outputTokens").GetInt64());
    }

    [Fact]
    public async Task ARequestIdSentTwice_ChargesBothRequests_InBothLedgers()
    {
        // The proxy adopts a caller's sane x-request-id; sending the same one twice (a retry that keeps
        // it, or on purpose) must not take the second request off the bill.
        var requestId = "req-reused-" + Guid.NewGuid().ToString("N")[..16];
        using var client = fixture.Main.Client(DemoKeys.Key);
        client.DefaultRequestHeaders.Add("x-request-id", requestId);
        foreach (var prompt in new[] { "One", "The same request id again, with a longer question this time" })
        {
            using var response = await client.PostAsync("/v1/chat/completions",
                SnapshotFeedTests.Json($$"""{"model":"gpt-4o-2024-08-06","messages":[{"role":"user","content":"{{prompt}}"}]}"""), Ct);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal(requestId, response.Headers.GetValues("x-request-id").Single());
        }

        List<JsonElement> found = [];
        await Eventually.HoldsAsync(async () =>
        {
            found = [.. (await fixture.LedgerAsync(DemoKeys.KeyId, "&sort=timestamp&order=asc"))
                .Where(r => r.GetProperty("requestId").GetString()!.StartsWith(requestId, StringComparison.Ordinal))];
            return found.Count >= 2;
        }, TimeSpan.FromSeconds(15), $"both requests with id {requestId} reach the ledger");

        Assert.Equal(2, found.Count);
        Assert.Equal(requestId, found[0].GetProperty("requestId").GetString());
        Assert.Matches("^" + requestId + "~[0-9a-f]{16}$", found[1].GetProperty("requestId").GetString());
        Assert.True(found[1].GetProperty("inputTokens").GetInt64() > found[0].GetProperty("inputTokens").GetInt64(), "the second, longer prompt is its own record");

        // The local copy keeps both under the caller's id.
        var ledger = Path.Combine(fixture.Main.DataDirectory, "ledger");
        await Eventually.HoldsAsync(() => (Directory.Exists(ledger) ? Directory.GetFiles(ledger, "usage-*.ndjson") : []).SelectMany(File.ReadAllLines)
            .Count(line => line.Contains($"\"requestId\":\"{requestId}\"", StringComparison.Ordinal)) == 2,
            TimeSpan.FromSeconds(5), "the local ledger copy holds both");
    }

    [Fact]
    public async Task BatchShippedTwice_IsInTheLedgerOnce()
    {
        var keyId = UniqueKeyId();
        var batch = new SpoolBatch("feed-batch-" + keyId, [Record(keyId, 100, 20, 0.0012m), Record(keyId, 300, 40, 0.0034m), Record(keyId, 5, 1, 0m)]);
        await using var proxy = await QuietProxyAsync();
        var shipper = proxy.Service<GrpcUsageShipper>();
        using var shipped = Collector(proxy);

        await shipper.ShipAsync(batch, Ct);
        await shipper.ShipAsync(batch, Ct);

        Assert.Equal(3, Sum(shipped, "inserted"));
        Assert.Equal(3, Sum(shipped, "duplicate"));
        var records = await fixture.LedgerAsync(keyId);
        Assert.Equal(3, records.Count);
        Assert.Equal(batch.Records.Select(r => r.RequestId).Order(), records.Select(r => r.GetProperty("requestId").GetString()!).Order());
        var first = records.Single(r => r.GetProperty("requestId").GetString() == batch.Records[1].RequestId);
        Assert.Equal(300, first.GetProperty("inputTokens").GetInt64());
        Assert.Equal(0.0034m, first.GetProperty("cost").GetDecimal());
        Assert.Equal(DemoCatalog.CostCentre, first.GetProperty("costCentre").GetString());
    }

    [Fact]
    public async Task MalformedRecord_IsAcknowledgedAsRejected_AndTheRestOfTheBatchLands()
    {
        var keyId = UniqueKeyId();
        var good = Record(keyId, 10, 5, 0.0001m);
        var bad = Record(keyId, -1, 5, 0.0001m);
        await using var proxy = await QuietProxyAsync();
        using var shipped = Collector(proxy);

        await proxy.Service<GrpcUsageShipper>().ShipAsync(new SpoolBatch("feed-bad-" + keyId, [good, bad]), Ct);

        Assert.Equal(1, Sum(shipped, "inserted"));
        Assert.Equal(1, Sum(shipped, "rejected"));
        Assert.Equal([good.RequestId], (await fixture.LedgerAsync(keyId)).Select(r => r.GetProperty("requestId").GetString()));
    }

    [Fact]
    public async Task ControlPlaneDown_ShippingThrows_AndTheSameBatchLandsOnceWhenItIsBack()
    {
        await using var relay = new TcpRelay(fixture.ControlPlaneGrpc, up: false);
        await using var proxy = await fixture.StartProxyAsync("feed-proxy-ship", new Dictionary<string, string?>
        {
            ["Proxy:ControlPlane:GrpcUrl"] = relay.Url.ToString(),
            ["Proxy:ControlPlane:InitialLoadSeconds"] = "0",
        });
        var shipper = proxy.Service<GrpcUsageShipper>();
        var keyId = UniqueKeyId();
        var batch = new SpoolBatch("feed-down-" + keyId, [Record(keyId, 1, 1, 0m), Record(keyId, 2, 2, 0m)]);

        await Assert.ThrowsAsync<UsageShippingException>(() => shipper.ShipAsync(batch, Ct).AsTask());
        await Assert.ThrowsAsync<UsageShippingException>(() => shipper.ShipAsync(batch, Ct).AsTask());
        relay.Up = true;
        // As the spool does: ship the same batch again until it is acknowledged (the channel may
        // still be waiting out its reconnect back-off for a moment).
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await shipper.ShipAsync(batch, Ct);
                return true;
            }
            catch (UsageShippingException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(15), "the batch is acknowledged once the control plane is reachable");
        Assert.Equal(2, (await fixture.LedgerAsync(keyId)).Count);

        // The call kept open between batches breaks (control plane restart, dropped connection):
        // the next batch goes through on a new call.
        relay.DropAll();
        var next = new SpoolBatch("feed-next-" + keyId, [Record(keyId, 3, 3, 0m)]);
        await shipper.ShipAsync(next, Ct);
        await shipper.ShipAsync(batch, Ct);
        Assert.Equal(3, (await fixture.LedgerAsync(keyId)).Count);
    }

    /// <summary>A proxy whose own traffic ships nothing (its spool uses the local ledger), so the acknowledgement counts are the test's alone.</summary>
    private Task<FeedProxy> QuietProxyAsync() =>
        fixture.StartProxyAsync("feed-proxy-quiet", new Dictionary<string, string?> { ["Proxy:Usage:Shipper"] = "File" });

    private static MetricCollector<long> Collector(FeedProxy proxy) => new(proxy.Service<ControlPlaneMetrics>().UsageRecords);

    private static long Sum(MetricCollector<long> collector, string result) =>
        collector.GetMeasurementSnapshot().Where(m => m.Tags["result"] is string r && r == result).Sum(m => m.Value);

    private static string UniqueKeyId() => "ship" + Guid.NewGuid().ToString("N")[..8];

    private static UsageRecord Record(string keyId, long input, long output, decimal cost) => new()
    {
        RequestId = "req-" + Guid.NewGuid().ToString("N"),
        Timestamp = DateTimeOffset.UtcNow,
        ProxyNode = FeedFixture.MainNodeId,
        KeyId = keyId,
        TeamId = DemoCatalog.TeamId,
        SubscriptionId = DemoCatalog.SubscriptionId("gpt-4o"),
        ModelAlias = "gpt-4o",
        ModelVersion = "gpt-4o-2024-08-06",
        DeploymentId = "gpt-4o-0806-primary",
        ProviderId = DemoCatalog.OpenAIProvider,
        Operation = "chat",
        InputTokens = input,
        OutputTokens = output,
        Cost = cost,
        Currency = "USD",
        LatencyMs = 12.5,
        TimeToFirstTokenMs = 3.5,
        Status = 200,
        Outcome = UsageOutcomes.Completed,
    };
}
