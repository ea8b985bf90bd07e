using Gateway.Contracts.Keys;
using Gateway.Contracts.Snapshot;

namespace Gateway.Proxy.Tests.Infrastructure;

/// <summary>
/// The tests' snapshot: one team, a key subscribed to most aliases (plus a revoked and an
/// expired key), aliases with two versions each, on providers pointing at fake upstreams.
/// </summary>
internal static class TestWorld
{
    public const string CredentialEnv = "PROXY_TESTS_UPSTREAM_KEY";
    public const string UpstreamSecret = "upstream-secret-never-shown";
    public const string TeamId = "team-a";

    public static readonly string Key = ApiKeyFormat.Compose("testkey00001", "Abcdefghijklmnopqrstuvwxyz0123456789ABCD");
    public static readonly string RevokedKey = ApiKeyFormat.Compose("testkey00002", "Bbcdefghijklmnopqrstuvwxyz0123456789ABCD");
    public static readonly string ExpiredKey = ApiKeyFormat.Compose("testkey00003", "Cbcdefghijklmnopqrstuvwxyz0123456789ABCD");
    public static readonly string NarrowKey = ApiKeyFormat.Compose("testkey00004", "Dbcdefghijklmnopqrstuvwxyz0123456789ABCD");

    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    static TestWorld() => Environment.SetEnvironmentVariable(CredentialEnv, UpstreamSecret);

    public static PriceSpec Usd => new(1m, 0.5m, 2m, "USD");

    /// <summary>
    /// Aliases: <c>chat</c> (chat-v1 default on <paramref name="openAIUrl"/>, chat-v2 canary),
    /// <c>legacy</c> (legacy-v2 deprecated default, legacy-v1 retired), <c>claude</c> (Anthropic),
    /// <c>embed</c>, <c>azure-chat</c>, <c>scorer</c> (KServe), <c>voice</c> (realtime) and <c>private</c> (not subscribed).
    /// </summary>
    public static GatewaySnapshot Snapshot(string openAIUrl, string? anthropicUrl = null, string? backupUrl = null, int canaryPercent = 10, long revision = 1)
    {
        anthropicUrl ??= openAIUrl;
        var cred = $"env:{CredentialEnv}";
        var providers = new List<ProviderSpec>
        {
            new("openai", ProviderKind.OpenAI, openAIUrl, cred) { StreamIdleTimeoutSeconds = 2 },
            new("anthropic", ProviderKind.Anthropic, anthropicUrl, cred),
            new("azure", ProviderKind.AzureOpenAI, openAIUrl, cred) { ApiVersion = "2024-10-21" },
            new("kserve", ProviderKind.KServeV2, openAIUrl),
        };
        var chatDeployments = new List<DeploymentSpec> { new("d-chat-1", "openai", "up-chat-1", Weight: 1, Priority: 0) };
        if (backupUrl is not null)
        {
            providers.Add(new("backup", ProviderKind.OpenAI, backupUrl, cred));
            chatDeployments.Add(new("d-chat-backup", "backup", "up-chat-1", Weight: 1, Priority: 1));
        }
        var models = new List<ModelSpec>
        {
            new("chat", ModelKind.Chat, "chat-v1",
            [
                new("chat-v1", VersionStatus.Ga, Usd, chatDeployments) { MaxOutputTokens = 1000 },
                new("chat-v2", VersionStatus.Preview, Usd, [new("d-chat-2", "openai", "up-chat-2")]),
            ]) { Canary = canaryPercent > 0 ? new CanarySpec("chat-v2", canaryPercent) : null },
            new("legacy", ModelKind.Chat, "legacy-v2",
            [
                new("legacy-v2", VersionStatus.Deprecated, Usd, [new("d-legacy-2", "openai", "up-legacy-2")])
                {
                    DeprecatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
                    SunsetAt = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero),
                    Successor = "chat-v1",
                },
                new("legacy-v1", VersionStatus.Retired, Usd, []) { Successor = "legacy-v2" },
            ]),
            new("claude", ModelKind.Chat, "claude-v1",
            [
                new("claude-v1", VersionStatus.Ga, Usd, [new("d-claude-1", "anthropic", "up-claude-1")]) { MaxOutputTokens = 512 },
                new("claude-v0", VersionStatus.Retired, Usd, []),
            ]),
            new("embed", ModelKind.Embeddings, "embed-v1",
            [
                new("embed-v1", VersionStatus.Ga, Usd, [new("d-embed-1", "openai", "up-embed-1")]),
                new("embed-v0", VersionStatus.Deprecated, Usd, [new("d-embed-0", "openai", "up-embed-0")]),
            ]),
            new("azure-chat", ModelKind.Chat, "azure-chat-v1",
            [
                new("azure-chat-v1", VersionStatus.Ga, Usd, [new("d-azure-1", "azure", "my-azure-deployment")]),
                new("azure-chat-v0", VersionStatus.Retired, Usd, []),
            ]),
            new("scorer", ModelKind.Inference, "scorer-v1",
            [
                new("scorer-v1", VersionStatus.Ga, Usd, [new("d-scorer-1", "kserve", "scorer-upstream")]),
                new("scorer-v0", VersionStatus.Retired, Usd, []),
            ]),
            new("voice", ModelKind.Realtime, "voice-v1",
            [
                new("voice-v1", VersionStatus.Ga, Usd, [new("d-voice-1", "openai", "up-voice-1")]),
                new("voice-v0", VersionStatus.Retired, Usd, []),
            ]),
            new("private", ModelKind.Chat, "private-v1",
            [
                new("private-v1", VersionStatus.Ga, Usd, [new("d-private-1", "openai", "up-private-1")]),
            ]),
        };
        string[] subscribed = ["chat", "legacy", "claude", "embed", "azure-chat", "scorer", "voice"];
        var subscriptions = new List<SubscriptionSpec>();
        foreach (var alias in subscribed) subscriptions.Add(new SubscriptionSpec($"sub-{alias}", TeamId, alias));
        var allSubs = subscriptions.ConvertAll(s => s.Id);
        var expiry = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return new GatewaySnapshot
        {
            Revision = revision,
            IssuedAt = Now,
            Providers = providers,
            Models = models,
            Teams = [new TeamSpec(TeamId, "Team A", "CC-1")],
            Subscriptions = subscriptions,
            Keys =
            [
                new ApiKeySpec("testkey00001", ApiKeyFormat.HashToHex(Key), TeamId, "tests", expiry, allSubs),
                new ApiKeySpec("testkey00002", ApiKeyFormat.HashToHex(RevokedKey), TeamId, "tests", expiry, allSubs) { Status = KeyStatus.Revoked },
                new ApiKeySpec("testkey00003", ApiKeyFormat.HashToHex(ExpiredKey), TeamId, "tests", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), allSubs),
                new ApiKeySpec("testkey00004", ApiKeyFormat.HashToHex(NarrowKey), TeamId, "tests", expiry, ["sub-embed"]),
            ],
        };
    }
}
