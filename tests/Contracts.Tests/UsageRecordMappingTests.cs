using Gateway.Contracts.Usage;

namespace Gateway.Contracts.Tests;

public sealed class UsageRecordMappingTests
{
    [Fact]
    public void Message_RoundTripsEveryFieldAndKeepsDecimalCostExact()
    {
        var record = new UsageRecord
        {
            RequestId = "req-1",
            Timestamp = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero),
            ProxyNode = "proxy-a",
            KeyId = "demo00000001",
            TeamId = "team-a",
            SubscriptionId = "sub-1",
            ModelAlias = "gpt-4o",
            ModelVersion = "gpt-4o-2024-08-06",
            DeploymentId = "d1",
            ProviderId = "mock",
            Operation = "chat",
            Streamed = true,
            InputTokens = 123,
            CachedInputTokens = 23,
            OutputTokens = 456,
            Cost = 0.000000123456789m,
            Currency = "USD",
            LatencyMs = 12.5,
            TimeToFirstTokenMs = null,
            Status = 200,
            Estimated = true,
            Outcome = UsageOutcomes.ClientAborted,
        };

        var back = record.ToMessage().ToRecord();

        Assert.Equal(record, back);
    }
}
