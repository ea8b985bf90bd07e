using System.Globalization;
using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Grpc;
using Gateway.Contracts.Usage;
using Gateway.ControlPlane.Tests.Infrastructure;
using Gateway.Testing;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// Bad usage, in bulk, from a proxy: batches of records with one field each set to a value a
/// proxy should never send (empty, blank, NUL and other control characters, 5,000 characters,
/// negative, huge or non-finite numbers, a cost that is not a number, a timestamp of year 1 or
/// none, the batch's own id and node likewise), over the real gRPC service, on a control plane of
/// its own per database. Every batch is acknowledged, each record counted once as inserted,
/// duplicate or quarantined, never an error that would make the proxy ship the batch for ever;
/// shipped again, nothing more is inserted; the valid records of each batch are in the ledger,
/// and the ledger's reports still read.
/// The mutations are the same on every run; <c>FUZZ_SEED=n</c> picks another sequence to explore.
/// </summary>
public abstract class MalformedUsageBatchTests(ControlPlaneFixture fixture)
{
    private const int Batches = 60;
    private const int RecordsPerBatch = 8;

    private static readonly string[] Strings = ["", " ", "\0", "a\0b", "\u0001x", "x\u001b[31m", new string('r', 5000), "\ud83d\ude00", "x"];
    private static readonly long[] Longs = [-1, long.MinValue, long.MaxValue, 1L << 53];
    private static readonly double[] Doubles = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1, 1e308];
    private static readonly string[] Costs = ["", "x", "-1", "NaN", "1e10", "0.0000000000001", "79228162514264337593543950335", "1,5", " 1"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MutatedRecordsAndBatches_AreAcknowledged_EachRecordCountedOnce_AndTheLedgerStillReads()
    {
        fixture.Require();
        var random = new Random(JsonMutator.Seed);
        var run = Guid.NewGuid().ToString("N")[..6];
        var batches = new List<(UsageBatch Batch, List<string> ValidIds)>();
        for (var b = 0; b < Batches; b++)
        {
            var batch = new UsageBatch { BatchId = $"fz-{run}-{b}", NodeId = "fuzz-proxy" };
            var valid = new List<string>();
            for (var r = 0; r < RecordsPerBatch; r++)
            {
                var record = UsageShipping.Record(Contracts.Demo.DemoCatalog.TeamId, DateTimeOffset.UtcNow.AddMinutes(-r), 0.001m) with { RequestId = $"fz-{run}-{b}-{r}" };
                var message = record.ToMessage();
                if (r % 2 == 1) Mutate(message, random); // every other record is left valid
                else valid.Add(record.RequestId);
                batch.Records.Add(message);
            }
            if (b % 10 == 9) MutateBatch(batch, random);
            batches.Add((batch, valid));
        }

        var first = await UsageShipping.ShipAsync(fixture, [.. batches.Select(b => b.Batch)]);
        var again = await UsageShipping.ShipAsync(fixture, [.. batches.Select(b => b.Batch)]);

        for (var b = 0; b < Batches; b++)
        {
            var (batch, valid) = batches[b];
            var ack = first[b];
            Assert.Equal(batch.BatchId, ack.BatchId);
            Assert.Equal(RecordsPerBatch, ack.Inserted + ack.Duplicates + ack.Rejected);
            Assert.True(ack.Inserted >= valid.Count, $"batch {b}: {ack.Inserted} inserted of {valid.Count} valid records");
            Assert.Equal(0, again[b].Inserted); // shipped again: nothing more
            Assert.Equal(RecordsPerBatch, again[b].Duplicates + again[b].Rejected);
        }

        using var finance = await fixture.ClientAsAsync("finance@demo.bank");
        var records = await (await finance.Get($"/api/usage/records?pageSize=200&teamId={Contracts.Demo.DemoCatalog.TeamId}")).ReadAsync<PagedResult<UsageRecordDto>>();
        Assert.True(records.Total >= batches.Sum(b => b.ValidIds.Count));
        var period = DateTimeOffset.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        foreach (var path in new[] { "/api/usage/summary", "/api/statements", $"/api/statements/{period}" })
        {
            var response = await finance.Get(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }
    }

    [Fact]
    public async Task AHeartbeatWithControlCharacters_IsStoredReadable_AndABadNodeIsRefused()
    {
        // PostgreSQL refused the NUL of a host name, and the heartbeat failed.
        fixture.Require();
        var node = "fz-node-" + Guid.NewGuid().ToString("N")[..6];
        using var channel = fixture.Channel(await fixture.ProxyTokenAsync());
        var feed = new SnapshotFeed.SnapshotFeedClient(channel);

        var reply = await feed.HeartbeatAsync(new ProxyHeartbeat { NodeId = node, AppliedRevision = 1, HostName = "host\0name\u001b", Version = "1.0\u0007" + new string('v', 100) }, cancellationToken: Ct);
        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await feed.HeartbeatAsync(new ProxyHeartbeat { NodeId = "node\0" }, cancellationToken: Ct));

        Assert.True(reply.LiveProxies >= 1);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, refused.StatusCode);
        using var admin = await fixture.ClientAsAsync("admin@demo.bank");
        var proxies = await (await admin.Get("/api/proxies?pageSize=200")).ReadAsync<PagedResult<ProxyNodeDto>>();
        var seen = Assert.Single(proxies.Items, p => p.NodeId == node);
        Assert.Equal(("host?name?", "1.0?" + new string('v', 60)), (seen.HostName, seen.Version));
    }

    /// <summary>One field of the record set to a value no proxy should send.</summary>
    private static void Mutate(UsageRecordMessage m, Random random)
    {
        string S() => Strings[random.Next(Strings.Length)];
        switch (random.Next(20))
        {
            case 0: m.RequestId = S(); break;
            case 1: m.ProxyNode = S(); break;
            case 2: m.KeyId = S(); break;
            case 3: m.TeamId = S(); break;
            case 4: m.SubscriptionId = S(); break;
            case 5: m.ModelAlias = S(); break;
            case 6: m.ModelVersion = S(); break;
            case 7: m.DeploymentId = S(); break;
            case 8: m.ProviderId = S(); break;
            case 9: m.Operation = S(); break;
            case 10: m.Outcome = S(); break;
            case 11: m.Currency = S(); break;
            case 12: m.InputTokens = Longs[random.Next(Longs.Length)]; break;
            case 13: m.CachedInputTokens = Longs[random.Next(Longs.Length)]; break;
            case 14: m.OutputTokens = Longs[random.Next(Longs.Length)]; break;
            case 15: m.Cost = Costs[random.Next(Costs.Length)]; break;
            case 16: m.LatencyMs = Doubles[random.Next(Doubles.Length)]; break;
            case 17: m.TimeToFirstTokenMs = Doubles[random.Next(Doubles.Length)]; break;
            case 18: m.Status = random.Next(2) == 0 ? -1 : int.MaxValue; break;
            default: m.Timestamp = random.Next(3) switch { 0 => null, 1 => Timestamp.FromDateTimeOffset(DateTimeOffset.MinValue), _ => Timestamp.FromDateTimeOffset(new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero)) }; break;
        }
    }

    /// <summary>The batch's own id or node set to such a value.</summary>
    private static void MutateBatch(UsageBatch batch, Random random)
    {
        var value = Strings[random.Next(Strings.Length)];
        if (random.Next(2) == 0) batch.NodeId = value;
        else batch.BatchId = batch.BatchId + value;
    }
}

[CollectionDefinition(Name)]
public sealed class MalformedUsageSqliteCollection : ICollectionFixture<SqliteFixture>
{
    public const string Name = "ControlPlane on SQLite, for mutated usage";
}

[CollectionDefinition(Name)]
public sealed class MalformedUsagePostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "ControlPlane on PostgreSQL, for mutated usage";
}

[Collection(MalformedUsageSqliteCollection.Name)]
public sealed class MalformedUsageBatchTests_Sqlite(SqliteFixture fixture) : MalformedUsageBatchTests(fixture);

[Collection(MalformedUsagePostgresCollection.Name)]
public sealed class MalformedUsageBatchTests_Postgres(PostgresFixture fixture) : MalformedUsageBatchTests(fixture);
