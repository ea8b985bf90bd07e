using Gateway.Contracts.Grpc;
using Gateway.Contracts.Usage;
using Grpc.Core;

namespace Gateway.ControlPlane.Tests.Infrastructure;

/// <summary>Ships usage batches over the real gRPC service, as the proxy's shipper does.</summary>
public static class UsageShipping
{
    public static UsageRecord Record(string teamId, DateTimeOffset at, decimal cost, long input = 100, long output = 50, string? subscriptionId = null, string version = "gpt-4o-2024-08-06") => new()
    {
        RequestId = "req-" + Guid.NewGuid().ToString("N"),
        Timestamp = at,
        ProxyNode = "test-proxy",
        KeyId = "demo00000001",
        TeamId = teamId,
        SubscriptionId = subscriptionId,
        ModelAlias = "gpt-4o",
        ModelVersion = version,
        Operation = "chat",
        InputTokens = input,
        OutputTokens = output,
        Cost = cost,
        Currency = "USD",
        LatencyMs = 12.5,
        Status = 200,
        Outcome = UsageOutcomes.Completed,
    };

    public static async Task<List<UsageAck>> ShipAsync(ControlPlaneFixture fixture, params UsageBatch[] batches)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        using var channel = fixture.Channel(await fixture.ProxyTokenAsync());
        using var call = new UsageIngestion.UsageIngestionClient(channel).Ship(cancellationToken: Api.Ct);
        var acks = new List<UsageAck>();
        foreach (var batch in batches)
        {
            await call.RequestStream.WriteAsync(batch, Api.Ct);
            Assert.True(await call.ResponseStream.MoveNext(Api.Ct));
            acks.Add(call.ResponseStream.Current);
        }
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(Api.Ct));
        return acks;
    }

    public static UsageBatch Batch(params UsageRecord[] records)
    {
        var batch = new UsageBatch { BatchId = "batch-" + Guid.NewGuid().ToString("N")[..8], NodeId = "test-proxy" };
        batch.Records.AddRange(records.Select(r => r.ToMessage()));
        return batch;
    }
}
