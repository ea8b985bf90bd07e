using System.Text;
using Gateway.Contracts.Usage;
using Gateway.Proxy.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Tests.Usage;

public sealed class UsageSpoolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void AssertExactlyOnce(IEnumerable<UsageRecord> ledger, IEnumerable<string> ids)
    {
        var counts = ledger.GroupBy(r => r.RequestId).ToDictionary(g => g.Key, g => g.Count());
        foreach (var id in ids) Assert.Equal(1, counts.GetValueOrDefault(id));
        Assert.All(counts.Values, c => Assert.Equal(1, c));
    }

    [Fact]
    public async Task RecordsFromManyThreads_ReachTheLedgerOnce_AndTheSpoolEmpties()
    {
        await using var rig = new SpoolRig();
        await rig.StartAsync();
        var ids = Enumerable.Range(0, 2000).Select(i => "many-" + i).ToList();

        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, (id, _) =>
        {
            rig.Spool.Submit(SpoolRig.Record(id));
            return ValueTask.CompletedTask;
        });
        await rig.StopAsync();

        var ledger = Ledger.Read(rig.DataDirectory);
        Assert.Equal(2000, ledger.Count);
        AssertExactlyOnce(ledger, ids);
        Assert.Empty(Directory.GetFiles(rig.SpoolDirectory));
        Assert.Equal(0.000123m, ledger[0].Cost);
    }

    [Fact]
    public async Task Fsyncs_FollowTheWrites_AtMostOncePerSyncInterval()
    {
        await using var rig = new SpoolRig(settings: new Dictionary<string, string?>
        {
            ["Proxy:Usage:SyncIntervalMs"] = "200",
            ["Proxy:Usage:SegmentMaxAgeMs"] = "60000", // no seal (which fsyncs too) during the test
        });
        using var writes = rig.Collect("gateway.proxy.usage.spool.writes");
        using var fsyncs = rig.Collect("gateway.proxy.usage.spool.fsyncs");
        static long Sum(Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long> c) => c.GetMeasurementSnapshot().Sum(m => m.Value);
        await rig.StartAsync();

        // 40 records, each written on its own (the next is submitted once the previous write is counted).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 40; i++)
        {
            rig.Spool.Submit(SpoolRig.Record("sync-" + i));
            for (var wait = 0; Sum(writes) <= i && wait < 5000; wait++) await Task.Delay(1, Ct);
        }
        var elapsed = clock.Elapsed;
        var fsyncsAtLastWrite = Sum(fsyncs);

        Assert.Equal(40, Sum(writes));
        // One fsync at once, then at most one per interval: far fewer than the 40 writes.
        Assert.InRange(fsyncsAtLastWrite, 1, (long)(elapsed / TimeSpan.FromMilliseconds(200)) + 2);
        // The last writes are not left unsynced: an fsync ends after the last write within the interval.
        var lastWriteAt = writes.GetMeasurementSnapshot().Max(m => m.Timestamp);
        for (var wait = 0; !fsyncs.GetMeasurementSnapshot().Any(m => m.Timestamp > lastWriteAt) && wait < 300; wait++) await Task.Delay(10, Ct);
        Assert.Contains(fsyncs.GetMeasurementSnapshot(), m => m.Timestamp > lastWriteAt);

        await rig.StopAsync();
        AssertExactlyOnce(Ledger.Read(rig.DataDirectory), Enumerable.Range(0, 40).Select(i => "sync-" + i));
    }

    [Fact]
    public async Task AFullChannel_SpillsToTheSpool_CountsIt_AndLosesNothing()
    {
        await using var rig = new SpoolRig(settings: new Dictionary<string, string?> { ["Proxy:Usage:ChannelCapacity"] = "16" });
        var ids = Enumerable.Range(0, 100).Select(i => "spill-" + i).ToList();

        // The writer is not running yet: the channel fills at 16 and the rest goes straight to disk.
        foreach (var id in ids) rig.Spool.Submit(SpoolRig.Record(id));
        for (var i = 0; rig.Spilled.GetMeasurementSnapshot().Sum(m => m.Value) < 84 && i < 500; i++) await Task.Delay(10, Ct);
        Assert.Equal(84, rig.Spilled.GetMeasurementSnapshot().Sum(m => m.Value));

        await rig.StartAsync();
        await rig.StopAsync();

        AssertExactlyOnce(Ledger.Read(rig.DataDirectory), ids);
    }

    private static long Spooled(Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long> spooled, string path) =>
        spooled.GetMeasurementSnapshot().Where(m => Equals(m.Tags["gateway.usage.path"], path)).Sum(m => m.Value);

    [Fact]
    public async Task ARequestAlone_AppendsItsOwnRecord_BeforeSubmitReturns()
    {
        await using var rig = new SpoolRig(settings: new Dictionary<string, string?>
        {
            ["Proxy:Usage:SegmentMaxAgeMs"] = "60000", // the segment stays open for the whole test
            ["Proxy:Usage:ShipIntervalMs"] = "60000",
        });
        using var spooled = rig.Collect("gateway.proxy.usage.spooled");
        // Waits until the writer has taken `count` records in all, and checks that it has.
        async Task TakenByTheWriter(int count)
        {
            for (var i = 0; Spooled(spooled, SpoolPaths.Channel) < count && i < 500; i++) await Task.Delay(10, Ct);
            Assert.Equal(count, Spooled(spooled, SpoolPaths.Channel));
        }

        await rig.StartAsync();
        // No segment is open yet: the first record goes to the writer, which opens one (a caller never creates a file).
        rig.Spool.Submit(SpoolRig.Record("light-0"), alone: true);
        await TakenByTheWriter(1);
        var segment = Assert.Single(Directory.GetFiles(rig.SpoolDirectory));

        var direct = 0;
        var queued = 1;
        for (var i = 1; i <= 20; i++)
        {
            var before = Spooled(spooled, SpoolPaths.Direct);
            rig.Spool.Submit(SpoolRig.Record("light-" + i), alone: true);
            if (Spooled(spooled, SpoolPaths.Direct) == before)
            {
                // The file lock was busy (the syncer): it went to the writer. Each request here comes
                // alone, after the last one's record is written: wait for the writer to take it, or
                // the next one finds it queued (or the writer holding the file) and is not alone.
                await TakenByTheWriter(++queued);
                continue;
            }
            direct++;
            // Appended by the time Submit returned: the line is in the file already.
            using var file = new FileStream(segment, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Assert.Contains("\"light-" + i + "\"", new StreamReader(file).ReadToEnd());
        }
        Assert.InRange(direct, 15, 20);

        await rig.StopAsync();
        AssertExactlyOnce(Ledger.Read(rig.DataDirectory), Enumerable.Range(0, 21).Select(i => "light-" + i));
    }

    [Theory]
    [InlineData(false, "true")] // another request in flight
    [InlineData(true, "false")] // the option off
    public async Task ARequestNotAlone_OrWithAppendWhenIdleOff_LeavesItsRecordToTheWriter(bool alone, string appendWhenIdle)
    {
        await using var rig = new SpoolRig(settings: new Dictionary<string, string?>
        {
            ["Proxy:Usage:AppendWhenIdle"] = appendWhenIdle,
            ["Proxy:Usage:SegmentMaxAgeMs"] = "60000",
            ["Proxy:Usage:ShipIntervalMs"] = "60000",
        });
        using var spooled = rig.Collect("gateway.proxy.usage.spooled");
        await rig.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            rig.Spool.Submit(SpoolRig.Record("writer-" + i), alone);
            for (var wait = 0; Spooled(spooled, SpoolPaths.Channel) <= i && wait < 500; wait++) await Task.Delay(5, Ct);
        }

        Assert.Equal(20, Spooled(spooled, SpoolPaths.Channel));
        Assert.Equal(0, Spooled(spooled, SpoolPaths.Direct));
        await rig.StopAsync();
        AssertExactlyOnce(Ledger.Read(rig.DataDirectory), Enumerable.Range(0, 20).Select(i => "writer-" + i));
    }

    [Fact]
    public async Task ASubmitterNeverSealsASegment_ARecordThatWouldFillItGoesToTheWriter()
    {
        await using var rig = new SpoolRig(settings: new Dictionary<string, string?>
        {
            ["Proxy:Usage:SegmentMaxBytes"] = "4096", // about 13 records a segment
            ["Proxy:Usage:SegmentMaxAgeMs"] = "60000",
            ["Proxy:Usage:ShipIntervalMs"] = "60000",
        });
        using var spooled = rig.Collect("gateway.proxy.usage.spooled");
        using var fsyncs = rig.Collect("gateway.proxy.usage.spool.fsyncs");
        await rig.StartAsync();
        var ids = Enumerable.Range(0, 60).Select(i => "fill-" + i).ToList();
        long Total() => Spooled(spooled, SpoolPaths.Channel) + Spooled(spooled, SpoolPaths.Direct);
        for (var i = 0; i < ids.Count; i++)
        {
            rig.Spool.Submit(SpoolRig.Record(ids[i]), alone: true);
            for (var wait = 0; Total() <= i && wait < 500; wait++) await Task.Delay(5, Ct);
        }

        // Every segment but the open one was sealed by the writer when a record would have filled it.
        var sealedCount = rig.Spool.ListSegments().Count - 1;
        Assert.InRange(sealedCount, 3, 6);
        Assert.True(Spooled(spooled, SpoolPaths.Channel) >= sealedCount + 1, "each new segment is opened by the writer");
        Assert.True(Spooled(spooled, SpoolPaths.Direct) > 0);
        foreach (var (_, path) in rig.Spool.ListSegments()) Assert.True(new FileInfo(path).Length < 4096 + 400, path);
        await rig.StopAsync();
        AssertExactlyOnce(Ledger.Read(rig.DataDirectory), ids);
    }

    [Fact]
    public async Task SegmentsLeftByAnEarlierRun_AreShippedAtStart_SkippingATornLastLine()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("spool-replay-").FullName;
        var spool = Directory.CreateDirectory(Path.Combine(dataDirectory, "spool")).FullName;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        UsageSpool.Serialize([SpoolRig.Record("old-1"), SpoolRig.Record("old-2")], buffer);
        await File.WriteAllBytesAsync(Path.Combine(spool, "segment-000000000003.ndjson"), buffer.WrittenSpan.ToArray(), Ct);
        buffer.ResetWrittenCount();
        UsageSpool.Serialize([SpoolRig.Record("old-3")], buffer);
        var torn = Encoding.UTF8.GetBytes("{\"requestId\":\"old-4\",\"timest");
        await File.WriteAllBytesAsync(Path.Combine(spool, "segment-000000000004.ndjson"), [.. buffer.WrittenSpan, .. torn], Ct);

        await using var rig = new SpoolRig(dataDirectory);
        await rig.StartAsync();
        rig.Spool.Submit(SpoolRig.Record("new-1"));
        await rig.StopAsync();

        var ledger = Ledger.Read(dataDirectory);
        AssertExactlyOnce(ledger, ["old-1", "old-2", "old-3", "new-1"]);
        Assert.Equal(4, ledger.Count);
        Assert.Equal(["old-1", "old-2", "old-3", "new-1"], ledger.Select(r => r.RequestId));
        Assert.Equal(1, rig.BadLines.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Empty(Directory.GetFiles(spool));
        // The torn line is not lost: it is kept as it was, for reconciliation.
        var kept = await File.ReadAllBytesAsync(Path.Combine(spool, "unreadable", "segment-000000000004.ndjson"), Ct);
        Assert.Equal([.. torn, (byte)'\n'], kept);
        Assert.Single(Directory.GetFiles(Path.Combine(spool, "unreadable")));
    }

    [Fact]
    public async Task DamagedLinesInTheMiddleOfASegment_AreKeptByteForByte_AndTheRestShips()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("spool-damaged-").FullName;
        var spool = Directory.CreateDirectory(Path.Combine(dataDirectory, "spool")).FullName;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        UsageSpool.Serialize([SpoolRig.Record("d-1"), SpoolRig.Record("d-2"), SpoolRig.Record("d-3")], buffer);
        var lines = Encoding.UTF8.GetString(buffer.WrittenSpan).Split('\n');
        // What a power cut or a bad sector leaves: a run of NULs, a flipped byte, half a line joined to the next.
        var zeros = new string('\0', 37);
        var flipped = lines[1].Replace("\"outputTokens\":", "\"outputTokens\";", StringComparison.Ordinal);
        var joined = lines[2][..30] + lines[2];
        var damaged = Encoding.UTF8.GetBytes(string.Join('\n', lines[0], zeros, flipped, joined) + "\n");
        await File.WriteAllBytesAsync(Path.Combine(spool, "segment-000000000001.ndjson"), damaged, Ct);
        buffer.ResetWrittenCount();
        UsageSpool.Serialize([SpoolRig.Record("d-4")], buffer);
        await File.WriteAllBytesAsync(Path.Combine(spool, "segment-000000000002.ndjson"), buffer.WrittenSpan.ToArray(), Ct);

        await using var rig = new SpoolRig(dataDirectory);
        await rig.StartAsync();
        await rig.StopAsync();

        var ledger = Ledger.Read(dataDirectory);
        Assert.Equal(["d-1", "d-4"], ledger.Select(r => r.RequestId));
        Assert.Equal(3, rig.BadLines.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Empty(Directory.GetFiles(spool));
        Assert.Equal(string.Join('\n', zeros, flipped, joined) + "\n",
            await File.ReadAllTextAsync(Path.Combine(spool, "unreadable", "segment-000000000001.ndjson"), Ct));
    }

    [Fact]
    public async Task WhenTheUnreadableLinesCannotBeKept_TheSegmentStays_AndShipsOnceTheyCanBe()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("spool-keep-").FullName;
        var spool = Directory.CreateDirectory(Path.Combine(dataDirectory, "spool")).FullName;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        UsageSpool.Serialize([SpoolRig.Record("k-1")], buffer);
        var segment = Path.Combine(spool, "segment-000000000001.ndjson");
        await File.WriteAllBytesAsync(segment, [.. buffer.WrittenSpan, .. "{\"requestId\":\"k-2\",\"ti"u8], Ct);
        await File.WriteAllTextAsync(Path.Combine(spool, "unreadable"), "a file where the folder should be", Ct);

        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        await using var rig = new SpoolRig(dataDirectory, configure: services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(logs)));
        var shipper = rig.Services.GetRequiredService<SpoolShipper>();
        Assert.False(await shipper.ShipAvailableAsync(Ct));
        Assert.True(File.Exists(segment), "the segment was deleted although its unreadable line was not kept");
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 9106);

        File.Delete(Path.Combine(spool, "unreadable"));
        Assert.True(await shipper.ShipAvailableAsync(Ct));
        Assert.False(File.Exists(segment));
        Assert.Equal("{\"requestId\":\"k-2\",\"ti\n", await File.ReadAllTextAsync(Path.Combine(spool, "unreadable", "segment-000000000001.ndjson"), Ct));
        var ledger = Ledger.Read(dataDirectory);
        Assert.Equal(["k-1"], ledger.Select(r => r.RequestId).Distinct());
    }

    [Fact]
    public async Task ASegmentShippedButNotDeleted_BeforeACrash_IsNotWrittenTwice()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("spool-dedupe-").FullName;
        var spool = Directory.CreateDirectory(Path.Combine(dataDirectory, "spool")).FullName;
        var ledgerDir = Directory.CreateDirectory(Path.Combine(dataDirectory, "ledger")).FullName;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        UsageSpool.Serialize([SpoolRig.Record("a"), SpoolRig.Record("b"), SpoolRig.Record("c")], buffer);
        await File.WriteAllBytesAsync(Path.Combine(spool, "segment-000000000007.ndjson"), buffer.WrittenSpan.ToArray(), Ct);
        // The ledger got "a" and "b" and half of "c" when the process died.
        var lines = Encoding.UTF8.GetString(buffer.WrittenSpan).Split('\n');
        await File.WriteAllTextAsync(Path.Combine(ledgerDir, "usage-2026-01-01.ndjson"), lines[0] + "\n" + lines[1] + "\n" + lines[2][..20], Ct);

        await using var rig = new SpoolRig(dataDirectory);
        await rig.StartAsync();
        rig.Spool.Submit(SpoolRig.Record("d"));
        await rig.StopAsync();

        var ledger = Ledger.Read(dataDirectory);
        AssertExactlyOnce(ledger, ["a", "b", "c", "d"]);
        Assert.Equal(4, ledger.Count);
    }

    [Fact]
    public async Task AfterACrash_ARequestThatReusedAnId_IsStillWritten_WhileTheReplayedOneIsNot()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("spool-reuse-").FullName;
        var spool = Directory.CreateDirectory(Path.Combine(dataDirectory, "spool")).FullName;
        var ledgerDir = Directory.CreateDirectory(Path.Combine(dataDirectory, "ledger")).FullName;
        var first = SpoolRig.Record("same-id");
        // A caller sent x-request-id "same-id" again: another request, a millisecond later.
        var again = first with { Timestamp = first.Timestamp.AddMilliseconds(1), InputTokens = 77 };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        UsageSpool.Serialize([first, again], buffer);
        await File.WriteAllBytesAsync(Path.Combine(spool, "segment-000000000007.ndjson"), buffer.WrittenSpan.ToArray(), Ct);
        // The ledger got the first when the process died; the segment is shipped again at start.
        var lines = Encoding.UTF8.GetString(buffer.WrittenSpan).Split('\n');
        await File.WriteAllTextAsync(Path.Combine(ledgerDir, "usage-2026-01-01.ndjson"), lines[0] + "\n", Ct);

        await using var rig = new SpoolRig(dataDirectory);
        await rig.StartAsync();
        await rig.StopAsync();

        var ledger = Ledger.Read(dataDirectory).OrderBy(r => r.Timestamp).ToList();
        Assert.Equal(2, ledger.Count);
        Assert.All(ledger, r => Assert.Equal("same-id", r.RequestId));
        Assert.Equal([first.Timestamp, again.Timestamp], ledger.Select(r => r.Timestamp));
        Assert.Equal([10L, 77L], ledger.Select(r => r.InputTokens));
    }

    [Fact]
    public async Task AShipperThatFails_KeepsTheSegment_AndDeliversItLater()
    {
        var flaky = new FlakyShipper(failures: 2);
        await using var rig = new SpoolRig(configure: services => services.AddSingleton<IUsageShipper>(flaky));
        await rig.StartAsync();
        rig.Spool.Submit(SpoolRig.Record("retry-1"));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (flaky.Delivered.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(20, Ct);
        await rig.StopAsync();

        Assert.Equal(3, flaky.Attempts);
        Assert.Equal(["retry-1"], flaky.Delivered);
        Assert.Empty(Directory.GetFiles(rig.SpoolDirectory));
    }

    [Fact]
    public async Task AStopWhileTheShipperIsDown_KeepsTheSpool_ForTheNextStart()
    {
        var down = new FlakyShipper(failures: int.MaxValue);
        var rig = new SpoolRig(configure: services => services.AddSingleton<IUsageShipper>(down));
        await rig.StartAsync();
        rig.Spool.Submit(SpoolRig.Record("kept-1"));
        await rig.StopAsync();
        await rig.DisposeAsync();
        Assert.NotEmpty(Directory.GetFiles(rig.SpoolDirectory));

        await using var next = new SpoolRig(rig.DataDirectory);
        await next.StartAsync();
        await next.StopAsync();

        AssertExactlyOnce(Ledger.Read(rig.DataDirectory), ["kept-1"]);
    }

    [Theory]
    [InlineData("Proxy:Usage:ChannelCapacity", "0")]
    [InlineData("Proxy:Usage:GroupCommitMaxBatch", "-1")]
    [InlineData("Proxy:Usage:SegmentMaxBytes", "10")]
    [InlineData("Proxy:Usage:Shipper", "Carrier")]
    public async Task BadSettings_AreRefused(string key, string value)
    {
        await using var rig = new SpoolRig(settings: new Dictionary<string, string?> { [key] = value });

        Assert.ThrowsAny<Exception>(() => rig.Spool);
    }

    [Fact]
    public async Task GrpcShipping_WithoutAGrpcShipper_SaysWhatIsMissing()
    {
        await using var rig = new SpoolRig(settings: new Dictionary<string, string?> { ["Proxy:Usage:Shipper"] = "Grpc" });
        var provider = rig.Services;

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IUsageShipper>());

        Assert.Contains("Proxy:Usage:Shipper is Grpc", error.Message);
        Assert.Equal(UsageShipperKind.Grpc, provider.GetRequiredService<IOptions<UsageOptions>>().Value.Shipper);
    }

    private sealed class FlakyShipper(int failures) : IUsageShipper
    {
        public int Attempts;

        public List<string> Delivered { get; } = [];

        public ValueTask ShipAsync(SpoolBatch batch, CancellationToken cancellationToken)
        {
            if (++Attempts <= failures) throw new IOException("the ledger is unreachable");
            foreach (var record in batch.Records) Delivered.Add(record.RequestId);
            return ValueTask.CompletedTask;
        }
    }
}
