using System.Buffers;
using System.Text;
using Gateway.Proxy.Usage;

namespace Gateway.Proxy.Tests.Usage;

/// <summary>
/// A spool segment read back for shipping: its records, and its bytes as the ledger's lines only
/// when they are exactly those records (the NDJSON ledger then appends them without serializing).
/// </summary>
public sealed class SpoolSegmentTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spool-segment-").FullName;

    private static byte[] Lines(params string[] ids)
    {
        var buffer = new ArrayBufferWriter<byte>();
        UsageSpool.Serialize([.. ids.Select(id => SpoolRig.Record(id))], buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private SpoolSegment Read(byte[] bytes)
    {
        var path = Path.Combine(_directory, "segment-" + Guid.NewGuid().ToString("N") + ".ndjson");
        File.WriteAllBytes(path, bytes);
        return SpoolSegment.Read(path, new UsageLineReader());
    }

    [Fact]
    public void AWholeSegment_GivesItsRecords_AndItsBytesAsTheLines()
    {
        var bytes = Lines("a", "b", "c");
        using var segment = Read(bytes);

        Assert.Equal(["a", "b", "c"], segment.Records.Select(r => r.RequestId));
        Assert.Equal(0, segment.BadLines);
        Assert.Equal(bytes, segment.Lines.ToArray());
    }

    [Fact]
    public void ALargeSegment_IsReadWhole()
    {
        var ids = Enumerable.Range(0, 5000).Select(i => "large-" + i).ToArray();
        var bytes = Lines(ids);
        Assert.True(bytes.Length > 1 << 20, "the segment should be over 1 MiB, past the first read");
        using var segment = Read(bytes);

        Assert.Equal(ids, segment.Records.Select(r => r.RequestId));
        Assert.Equal(bytes, segment.Lines.ToArray());
    }

    public static TheoryData<string, string, string[], int> Unclean => new()
    {
        { "a torn last line", "\n{\"requestId\":\"x\",\"timest", ["a", "b"], 1 },
        { "a last line without its newline", "", ["a", "b"], 0 },
        { "a blank line", "\n   \n", ["a", "b"], 0 },
        { "a line that is not a record", "\nnull\n", ["a", "b"], 1 },
    };

    [Theory]
    [MemberData(nameof(Unclean))]
    public void ASegmentWithAnythingButRecordLines_GivesNoLines_SoTheLedgerSerializesTheRecords(string what, string tail, string[] expected, int bad)
    {
        var whole = Lines("a", "b");
        var bytes = tail.Length == 0 ? whole[..^1] : [.. whole[..^1], .. Encoding.UTF8.GetBytes(tail)];
        using var segment = Read(bytes);

        Assert.True(segment.Lines.IsEmpty, what);
        Assert.Equal(expected, segment.Records.Select(r => r.RequestId));
        Assert.Equal(bad, segment.BadLines);
        Assert.Equal(bad, segment.UnreadableLines().Count(b => b == (byte)'\n'));
    }

    /// <summary>
    /// Segments damaged at random, byte by byte, as a crash, a power cut or a failing disk leaves
    /// them (bytes flipped, NUL runs, lines cut short or joined, invalid UTF-8, stray newlines):
    /// reading never throws, every line is either a record or kept as unreadable, exactly as the
    /// serializer alone would read it, and the unreadable lines come back byte for byte.
    /// <c>FUZZ_SEED=n</c> picks another sequence.
    /// </summary>
    [Fact]
    public void DamagedSegments_ReadEveryLineAsARecordOrAsUnreadable_AndNeverThrow()
    {
        var random = new Random(Testing.JsonMutator.Seed);
        var damages = new Dictionary<string, int>();
        for (var round = 0; round < 300; round++)
        {
            var ids = Enumerable.Range(0, random.Next(1, 12)).Select(i => $"z{round}-{i}").ToArray();
            var bytes = new List<byte>(Lines(ids));
            for (var d = random.Next(1, 4); d > 0; d--)
            {
                var at = random.Next(bytes.Count + 1);
                var kind = random.Next(9);
                damages[kind.ToString(System.Globalization.CultureInfo.InvariantCulture)] = damages.GetValueOrDefault(kind.ToString(System.Globalization.CultureInfo.InvariantCulture)) + 1;
                switch (kind)
                {
                    case 0 when bytes.Count > 0: bytes[Math.Min(at, bytes.Count - 1)] ^= (byte)(1 << random.Next(8)); break;
                    case 1: bytes.InsertRange(at, new byte[random.Next(1, 64)]); break;
                    case 2: bytes.RemoveRange(at, Math.Min(random.Next(1, 40), bytes.Count - at)); break;
                    case 3: bytes.Insert(at, (byte)'\n'); break;
                    case 4: bytes.InsertRange(at, new byte[] { 0xC3, 0x28, 0xFF, 0xFE }); break;
                    case 5: bytes.InsertRange(at, "99999999999999999999999999999999"u8.ToArray()); break;
                    case 6: bytes.InsertRange(at, "\"requestId\":null,"u8.ToArray()); break;
                    case 7: bytes.RemoveRange(at, bytes.Count - at); break; // torn: the rest never reached the disk
                    default: bytes.InsertRange(at, "\\u0000\\ud800"u8.ToArray()); break;
                }
            }
            var damaged = bytes.ToArray();

            using var segment = Read(damaged);

            var expectedRecords = new List<string>();
            var expectedUnreadable = new List<byte>();
            foreach (var line in Split(damaged))
            {
                if (line.Length == 0 || line.AsSpan().IndexOfAnyExcept(" \t\r"u8) < 0) continue;
                Contracts.Usage.UsageRecord? record;
                try
                {
                    record = System.Text.Json.JsonSerializer.Deserialize(line, Contracts.Usage.UsageJsonContext.Default.UsageRecord);
                }
                catch (System.Text.Json.JsonException)
                {
                    record = null;
                }
                if (record is null) expectedUnreadable.AddRange([.. line, (byte)'\n']);
                else expectedRecords.Add(record.RequestId);
            }
            var context = $"round {round}: {Encoding.UTF8.GetString(damaged)}";
            Assert.True(expectedRecords.SequenceEqual(segment.Records.Select(r => r.RequestId)), context);
            Assert.True(expectedUnreadable.SequenceEqual(segment.UnreadableLines()), context);
            Assert.True(segment.Lines.IsEmpty || segment.BadLines == 0, context);
        }
        Assert.True(damages.Count == 9, "every kind of damage was drawn: " + string.Join(", ", damages));
    }

    private static IEnumerable<byte[]> Split(byte[] bytes)
    {
        var start = 0;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0) end = bytes.Length;
            yield return bytes[start..end];
            start = end + 1;
        }
    }

    [Fact]
    public void AnEmptySegment_HasNoRecordsAndNoLines()
    {
        using var segment = Read([]);
        Assert.Empty(segment.Records);
        Assert.True(segment.Lines.IsEmpty);
    }

    [Fact]
    public async Task TheLedger_HoldsTheRecordsLinesExactly_InOrder()
    {
        await using var rig = new SpoolRig();
        await rig.StartAsync();
        var records = Enumerable.Range(0, 50).Select(i => SpoolRig.Record("as-is-" + i, input: i, output: 2 * i)).ToList();
        foreach (var record in records)
        {
            rig.Spool.Submit(record);
            if (record.InputTokens % 10 == 0) await Task.Delay(30, TestContext.Current.CancellationToken); // several segments
        }
        await rig.StopAsync();

        var expected = new ArrayBufferWriter<byte>();
        UsageSpool.Serialize(records, expected);
        var ledger = Assert.Single(Directory.GetFiles(Path.Combine(rig.DataDirectory, "ledger"), "usage-*.ndjson"));
        Assert.Equal(expected.WrittenSpan.ToArray(), await File.ReadAllBytesAsync(ledger, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TheNdjsonLedger_AppendsABatchsLinesAsTheyAre_AndSerializesABatchWithoutThem()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new Gateway.Proxy.Hosting.ProxyOptions { DataDirectory = _directory });
        using var ledger = new NdjsonLedgerShipper(options, Microsoft.Extensions.Options.Options.Create(new UsageOptions()), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<NdjsonLedgerShipper>.Instance);
        var spaced = Encoding.UTF8.GetString(Lines("spaced")).Replace(",", ", ", StringComparison.Ordinal); // the same record, other bytes
        await ledger.ShipAsync(new SpoolBatch("b1", [SpoolRig.Record("spaced")]) { Ndjson = Encoding.UTF8.GetBytes(spaced) }, TestContext.Current.CancellationToken);
        var plain = SpoolRig.Record("plain");
        await ledger.ShipAsync(new SpoolBatch("b2", [plain]), TestContext.Current.CancellationToken);

        var expected = new ArrayBufferWriter<byte>();
        UsageSpool.Serialize([plain], expected);
        var file = Assert.Single(Directory.GetFiles(ledger.Directory));
        Assert.Equal(spaced + Encoding.UTF8.GetString(expected.WrittenSpan), await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
