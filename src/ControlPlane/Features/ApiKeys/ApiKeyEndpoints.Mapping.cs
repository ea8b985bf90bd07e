using Gateway.Contracts.Admin;
using Gateway.Contracts.Keys;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.Teams;
using Gateway.ControlPlane.Infrastructure;

namespace Gateway.ControlPlane.Features.ApiKeys;

internal static partial class ApiKeyEndpoints
{
    private static void ValidateExpiry(Validation v, string field, DateTimeOffset expiresAt, DateTimeOffset now, int maxDays)
    {
        if (expiresAt == default) v.Error(field, "is required: every key expires");
        else if (expiresAt <= now) v.Error(field, "must be in the future");
        else if (expiresAt > now.AddDays(maxDays)) v.Error(field, $"must be within {maxDays} days");
    }

    /// <summary>A key's networks as stored: canonical, each once, in order; null for none (any network).</summary>
    private static string? StoredNetworks(IReadOnlyList<string>? networks) =>
        networks is null or { Count: 0 } ? null : string.Join(',', networks.Select(ClientNetworks.Canonical).Distinct(StringComparer.Ordinal));

    /// <summary>The stored networks as a list (null for any network).</summary>
    internal static IReadOnlyList<string>? Networks(ApiKey k) => k.AllowedNetworks?.Split(',');

    private static void ValidateNetworks(Validation v, IReadOnlyList<string?>? networks)
    {
        foreach (var (index, message) in ClientNetworks.Problems(networks)) v.Error(index < 0 ? "allowedNetworks" : $"allowedNetworks[{index}]", message);
    }

    private static (ApiKey Key, string Secret) NewKey(
        string teamId, string application, DateTimeOffset expiresAt, IReadOnlyList<string>? subscriptionIds, LimitSpec? limits, string? networks, ChangeSet change)
    {
        var secret = ApiKeyFormat.Generate();
        ApiKeyFormat.TryGetKeyId(secret, out var id);
        var keyId = id.ToString();
        var key = new ApiKey
        {
            KeyId = keyId, Hash = ApiKeyFormat.HashToHex(secret), DisplayPrefix = ApiKeyFormat.DisplayPrefix(secret),
            TeamId = teamId, Application = application, ExpiresAt = expiresAt.ToUniversalTime(), Status = KeyStatus.Active,
            AllSubscriptions = subscriptionIds is null,
            RequestsPerMinute = limits?.RequestsPerMinute, TokensPerMinute = limits?.TokensPerMinute, MaxConcurrent = limits?.MaxConcurrent,
            AllowedNetworks = networks,
            CreatedAt = change.Now, CreatedBy = change.Actor.Id,
            Subscriptions = [.. (subscriptionIds ?? []).Select(s => new ApiKeySubscription { KeyId = keyId, SubscriptionId = s })],
        };
        return (key, secret);
    }

    /// <summary>What the audit log keeps of a key: never the key, only its id, prefix and hash.</summary>
    private static object Audited(ApiKey k) => new
    {
        k.KeyId, k.DisplayPrefix, k.Hash, k.TeamId, k.Application, k.ExpiresAt, k.Status, k.AllSubscriptions,
        subscriptionIds = k.Subscriptions.Select(s => s.SubscriptionId).Order(StringComparer.Ordinal), k.RotatedFrom, k.ReplacedBy, k.RevokedAt,
        allowedNetworks = Networks(k),
    };

    /// <summary>The key with its last use, from <paramref name="lastUsed"/> (by key id).</summary>
    private static ApiKeyDto ToDto(ApiKey k, Dictionary<string, DateTimeOffset> lastUsed) =>
        ToDto(k) with { LastUsedAt = lastUsed.TryGetValue(k.KeyId, out var at) ? at : null };

    internal static ApiKeyDto ToDto(ApiKey k) => new(
        k.KeyId, k.DisplayPrefix, k.TeamId, k.Application, k.ExpiresAt, k.Status, k.AllSubscriptions,
        [.. k.Subscriptions.Select(s => s.SubscriptionId).Order(StringComparer.Ordinal)],
        TeamEndpoints.Limits(k.RequestsPerMinute, k.TokensPerMinute, k.MaxConcurrent), k.CreatedAt, k.CreatedBy, k.RevokedAt, k.RotatedFrom, k.ReplacedBy,
        Networks(k));
}
