using Gateway.Contracts.Snapshot;

namespace Gateway.Proxy.Policies.Metering;

/// <summary>Cost = tokens × the version's prices per million, cached input priced apart, in the version's currency, as <see cref="decimal"/>.</summary>
internal static class UsageCost
{
    public static decimal Of(PriceSpec prices, long inputTokens, long cachedInputTokens, long outputTokens)
    {
        var cached = Math.Clamp(cachedInputTokens, 0, Math.Max(0, inputTokens));
        var uncached = Math.Max(0, inputTokens - cached);
        return ((uncached * prices.InputPerMillion) + (cached * prices.CachedInputPerMillion) + (Math.Max(0, outputTokens) * prices.OutputPerMillion)) / 1_000_000m;
    }
}
