using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Contracts.Usage;
using Gateway.Proxy.Usage;

namespace Gateway.Proxy.Tests.Usage;

/// <summary>
/// The shipper's reader of spool lines: the spool's own lines in one pass, every other line as the
/// serializer reads it (the same record, or the same refusal).
/// </summary>
public sealed class UsageLineReaderTests
{
    private static readonly string[] Texts =
    [
        "", "a", "team-demo", "gpt-4o-2024-08-06", "quote \" and backslash \\ and slash /", "tab\tnew line\n",
        "ünïcödé", "日本語のモデル", "emoji 😀 pair", "control \u0001 \u001f", "<script>&'", new string('x', 127),
        new string('y', 128), new string('z', 129), new string('é', 100), "\u2028\u2029",
    ];

    private static UsageRecord RandomRecord(Random random)
    {
        string Pick() => Texts[random.Next(Texts.Length)];
        string? Maybe() => random.Next(4) == 0 ? null : Pick();
        return new UsageRecord
        {
            RequestId = "req_" + random.NextInt64().ToString("x") + (random.Next(5) == 0 ? Pick() : ""),
            Timestamp = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 3650))
                .ToOffset(TimeSpan.FromMinutes(15 * random.Next(-48, 49))),
            ProxyNode = Maybe(),
            KeyId = Pick(),
            TeamId = Pick(),
            SubscriptionId = Maybe(),
            ModelAlias = Pick(),
            ModelVersion = Pick(),
            DeploymentId = Maybe(),
            ProviderId = Maybe(),
            Operation = Pick(),
            Streamed = random.Next(2) == 0,
            InputTokens = random.Next(3) == 0 ? random.NextInt64() : random.Next(100_000),
            CachedInputTokens = random.Next(10_000),
            OutputTokens = random.Next(3) == 0 ? -random.Next(10) : random.Next(100_000),
            Cost = random.Next(4) == 0 ? 0m : new decimal(random.NextInt64(0, long.MaxValue)) / 1_000_000_000m,
            Currency = Pick(),
            LatencyMs = random.NextDouble() * 10_000,
            TimeToFirstTokenMs = random.Next(3) == 0 ? null : random.NextDouble() * 1_000,
            Status = random.Next(100, 600),
            Estimated = random.Next(2) == 0,
            Outcome = Pick(),
        };
    }

    private static byte[] SpoolLine(UsageRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        UsageSpool.Serialize([record], buffer);
        return buffer.WrittenSpan[..^1].ToArray(); // without the newline, as the segment reader passes it
    }

    /// <summary>What a reading gave: the record, null, or the exception's type.</summary>
    private static object? Outcome(Func<UsageRecord?> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex)
        {
            return ex.GetType();
        }
    }

    private static object? Serializer(byte[] line) => Outcome(() => JsonSerializer.Deserialize(line, UsageJsonContext.Default.UsageRecord));

    private static object? Reader(UsageLineReader reader, byte[] line) => Outcome(() => reader.Read(line));

    [Fact]
    public void TheSpoolsOwnLines_AreReadInOnePass_AsTheSerializerReadsThem()
    {
        var random = new Random(20261128);
        var reader = new UsageLineReader();
        for (var i = 0; i < 5_000; i++)
        {
            var record = RandomRecord(random);
            var line = SpoolLine(record);

            var fast = reader.TryReadSpoolLine(line);

            Assert.NotNull(fast); // the spool's own form never goes to the serializer
            Assert.Equal(record, fast);
            Assert.Equal(Serializer(line), fast);
        }
    }

    [Fact]
    public void RepeatedValues_AreOneStringEach_ButRequestIdsAreNot()
    {
        var reader = new UsageLineReader();
        var line = SpoolLine(SpoolRig.Record("req-1"));
        var first = reader.Read(line)!;
        var second = reader.Read(line)!;

        Assert.Same(first.KeyId, second.KeyId);
        Assert.Same(first.TeamId, second.TeamId);
        Assert.Same(first.ModelVersion, second.ModelVersion);
        Assert.Same(first.Outcome, second.Outcome);
        Assert.NotSame(first.RequestId, second.RequestId);
        Assert.Equal(first, second);
    }

    [Fact]
    public void MoreDistinctValuesThanTheCacheHolds_StillReadExactly()
    {
        var reader = new UsageLineReader();
        for (var i = 0; i < 10_000; i++)
        {
            var record = SpoolRig.Record("req-" + i) with { KeyId = "key-" + i, TeamId = "team-" + (i % 7) };
            Assert.Equal(record, reader.Read(SpoolLine(record)));
        }
    }

    public static TheoryData<string> OtherForms()
    {
        var line = Encoding.UTF8.GetString(SpoolLine(RandomRecord(new Random(7)) with { SubscriptionId = "s", ProxyNode = "node-1", TimeToFirstTokenMs = 12.5 }));
        var node = JsonNode.Parse(line)!.AsObject();
        var names = node.Select(p => p.Key).ToArray();
        var data = new TheoryData<string>
        {
            line,
            " \t" + line + " \r\n",
            line + "x",
            line + "{}",
            line + ",",
            "null",
            "[]",
            "{}",
            "42",
            "\"text\"",
            "",
            line.Replace("\"keyId\"", "\"KeyId\""),
            line.Replace("\"keyId\"", "\"key\\u0049d\""),
            line.Replace("\"status\":", "\"extra\":{\"nested\":[1,2]},\"status\":"),
            line.Replace("\"status\":", "\"status\":\"201\",\"ignored\":"),
            line.Replace("{\"requestId\"", "{\"requestId\":\"first\",\"requestId\""),
            line.Replace("\"streamed\":", "\"streamed\":1,\"x\":"),
            line.Replace("\"cost\":", "\"cost\":\"0.5\",\"x\":"),
            line.Replace("\"cost\":", "\"cost\":1e400,\"x\":"),
            line.Replace("\"status\":", "\"status\":2.5,\"x\":"),
            line.Replace("\"status\":", "\"status\":99999999999,\"x\":"),
            line.Replace("\"inputTokens\":", "\"inputTokens\":1.0,\"x\":"),
            line.Replace("\"timestamp\":\"", "\"timestamp\":\"not a time\",\"x\":\""),
            line.Replace("\"totalTokens\":", "\"totalTokens\":\"many\",\"x\":"),
            line.Replace("\"totalTokens\":", "\"totalTokens\":null,\"x\":"),
            line.Replace("\"outcome\":", "\"outcome\":null,\"x\":"),
            line.Replace("\"keyId\":", "\"keyId\":null,\"x\":"),
            line.Replace("\"subscriptionId\":", "\"subscriptionId\":null,\"x\":"),
            line.Replace("\"latencyMs\":", "\"latencyMs\":\"NaN\",\"x\":"),
            line.Replace("}", ",}"),
            line.Replace("}", "/* c */}"),
        };
        foreach (var name in names)
        {
            var without = node.DeepClone().AsObject();
            without.Remove(name);
            data.Add(without.ToJsonString());
            var reordered = new JsonObject { [name] = node[name]?.DeepClone() };
            foreach (var (other, value) in node) if (other != name) reordered[other] = value?.DeepClone();
            data.Add(reordered.ToJsonString());
        }
        for (var cut = 1; cut < line.Length; cut += 7) data.Add(line[..cut]);
        return data;
    }

    [Theory]
    [MemberData(nameof(OtherForms))]
    public void AnyOtherLine_ReadsAsTheSerializerReadsIt(string text)
    {
        var line = Encoding.UTF8.GetBytes(text);

        Assert.Equal(Serializer(line), Reader(new UsageLineReader(), line));
    }

    [Fact]
    public void InvalidUtf8_ReadsAsTheSerializerReadsIt()
    {
        var line = SpoolLine(SpoolRig.Record("req-1"));
        var at = Encoding.UTF8.GetString(line).IndexOf("\"k\"", StringComparison.Ordinal) + 1;
        line[at] = 0xFF;

        Assert.Equal(Serializer(line), Reader(new UsageLineReader(), line));
    }
}
