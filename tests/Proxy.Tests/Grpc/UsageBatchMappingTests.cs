using Gateway.Contracts.Usage;
using Gateway.Proxy.Usage;
using Gateway.Proxy.Usage.Grpc;

namespace Gateway.Proxy.Tests.Grpc;

/// <summary>What the gRPC shipper sends: the spool batch as the ledger takes it.</summary>
public sealed class UsageBatchMappingTests
{
    private static UsageRecord Record(string id, decimal cost) => new()
    {
        RequestId = id,
        Timestamp = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero),
        KeyId = "key000000001",
        TeamId = "team-a",
        ModelAlias = "chat",
        ModelVersion = "chat-v1",
        Operation = "chat",
        InputTokens = 8,
        CachedInputTokens = 3,
        OutputTokens = 7,
        Cost = cost,
        Currency = "USD",
        Status = 200,
        Outcome = UsageOutcomes.Completed,
    };

    [Fact]
    public void Batch_CarriesItsIdTheNodeAndEveryRecord()
    {
        var batch = new SpoolBatch("node-1/segment-7", [Record("r1", 0.0012m), Record("r2", 0m)]);

        var message = GrpcUsageShipper.ToMessage(batch, "node-1");

        Assert.Equal("node-1/segment-7", message.BatchId);
        Assert.Equal("node-1", message.NodeId);
        Assert.Equal(["r1", "r2"], message.Records.Select(r => r.RequestId));
        Assert.Equal(Record("r1", 0.0012m), message.Records[0].ToRecord());
    }

    [Theory]
    [InlineData("0.0000235")]
    [InlineData("0.0000012")]
    [InlineData("0.000000075")]
    [InlineData("0.000000000001")]
    [InlineData("12.3456789")]
    [InlineData("0")]
    public void Cost_IsShippedExactly_ToTheLastDecimal(string exact)
    {
        var cost = decimal.Parse(exact, System.Globalization.CultureInfo.InvariantCulture);

        var message = GrpcUsageShipper.ToMessage(new SpoolBatch("b", [Record("r", cost)]), "n");

        Assert.Equal(cost, decimal.Parse(message.Records[0].Cost, System.Globalization.CultureInfo.InvariantCulture));
    }
}
