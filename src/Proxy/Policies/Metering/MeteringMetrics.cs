using System.Diagnostics.Metrics;
using Gateway.Contracts.Usage;
using Gateway.Proxy.Telemetry;

namespace Gateway.Proxy.Policies.Metering;

/// <summary><c>gen_ai.client.token.usage</c> by version and token type; settled tokens; usage records by outcome and estimate.</summary>
internal sealed class MeteringMetrics(ProxyTelemetry telemetry)
{
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];

    private readonly Histogram<long> _tokenUsage = telemetry.Meter.CreateHistogram(
        "gen_ai.client.token.usage", "{token}", "Tokens used per request by model version and token type (input, output)",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });

    private readonly Counter<long> _settled = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.tokens.settled", "{token}", "Tokens settled after upstream calls (provider figures or estimates)");

    private readonly Counter<long> _records = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.usage.records", "{record}", "Usage records produced, by outcome and whether they are estimated");

    private readonly Counter<long> _implausible = telemetry.Meter.CreateCounter<long>(
        "gateway.proxy.usage.implausible", "{request}", "Requests whose provider reported usage that cannot be true (metered as an estimate), by provider");

    public void Implausible(string? providerId) => _implausible.Add(1, new KeyValuePair<string, object?>("gateway.provider", providerId));

    public void Recorded(UsageRecord record)
    {
        var version = new KeyValuePair<string, object?>("gen_ai.response.model", record.ModelVersion);
        _tokenUsage.Record(record.InputTokens, version, new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
        _tokenUsage.Record(record.OutputTokens, version, new KeyValuePair<string, object?>("gen_ai.token.type", "output"));
        _settled.Add(record.TotalTokens, version);
        _records.Add(1, new KeyValuePair<string, object?>("gateway.usage.outcome", record.Outcome), new KeyValuePair<string, object?>("gateway.usage.estimated", ProxyTelemetry.FlagTag(record.Estimated)));
    }
}
