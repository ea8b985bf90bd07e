using Gateway.Contracts.Keys;
using Gateway.Contracts.Snapshot;

namespace Gateway.Contracts.Demo;

/// <summary>
/// The default run's demo world, in one place: the proxy's standalone demo snapshot and the
/// control plane's seed are both built from it, so the README's tour works whichever feeds the
/// proxy. Every upstream is MockLlm. Never loaded outside the default run.
/// </summary>
public static class DemoCatalog
{
    public const string TeamId = "team-demo";
    public const string TeamName = "Demo Team";
    public const string CostCentre = "CC-1001";
    public const string OtherTeamId = "team-risk";
    public const string OtherTeamName = "Risk Analytics";
    public const string OtherCostCentre = "CC-2002";

    /// <summary>The environment variable holding the credential the proxy sends to MockLlm.</summary>
    public const string MockCredentialEnv = "MOCKLLM_API_KEY";

    public const string OpenAIProvider = "mockllm-openai";
    public const string OpenAIBackupProvider = "mockllm-openai-backup";
    public const string AzureProvider = "mockllm-azure";
    public const string AnthropicProvider = "mockllm-anthropic";
    public const string KServeProvider = "mockllm-kserve";

    private static readonly DateTimeOffset Issued = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset KeyExpiry = new(2099, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<ProviderSpec> Providers(string mockLlmUrl) =>
    [
        new(OpenAIProvider, ProviderKind.OpenAI, mockLlmUrl, $"env:{MockCredentialEnv}"),
        new(OpenAIBackupProvider, ProviderKind.OpenAI, mockLlmUrl, $"env:{MockCredentialEnv}"),
        new(AzureProvider, ProviderKind.AzureOpenAI, mockLlmUrl, $"env:{MockCredentialEnv}") { ApiVersion = "2024-10-21" },
        new(AnthropicProvider, ProviderKind.Anthropic, mockLlmUrl, $"env:{MockCredentialEnv}"),
        new(KServeProvider, ProviderKind.KServeV2, mockLlmUrl),
    ];

    public static IReadOnlyList<ModelSpec> Models { get; } =
    [
        new("gpt-4o", ModelKind.Chat, "gpt-4o-2024-08-06",
        [
            new("gpt-4o-2024-08-06", VersionStatus.Ga, Usd(2.50m, 1.25m, 10.00m),
            [
                new("gpt-4o-0806-primary", OpenAIProvider, "gpt-4o-2024-08-06", Weight: 1, Priority: 0),
                new("gpt-4o-0806-backup", OpenAIBackupProvider, "gpt-4o-2024-08-06", Weight: 1, Priority: 1),
            ])
            {
                MaxOutputTokens = 16_384, ContextWindow = 128_000, MaxDataClassification = DataClassification.Confidential,
                // Card numbers, IBANs and credentials never leave for the external provider.
                ContentGuard = new ContentGuardSpec(GuardAction.Block, [ContentDetector.PaymentCard, ContentDetector.Iban, ContentDetector.Credential]),
            },
            new("gpt-4o-2024-11-20", VersionStatus.Preview, Usd(2.50m, 1.25m, 10.00m),
            [
                new("gpt-4o-1120-primary", OpenAIProvider, "gpt-4o-2024-11-20"),
            ]) { MaxOutputTokens = 16_384, ContextWindow = 128_000 },
        ]) { Canary = new CanarySpec("gpt-4o-2024-11-20", 10), Tokenizer = "o200k_base", Description = "GPT-4o, general purpose chat" },

        new("gpt-4o-mini", ModelKind.Chat, "gpt-4o-mini-2024-07-18",
        [
            new("gpt-4o-mini-2024-07-18", VersionStatus.Ga, Usd(0.15m, 0.075m, 0.60m),
            [
                new("gpt-4o-mini-azure", AzureProvider, "gpt-4o-mini"),
            ])
            {
                MaxOutputTokens = 16_384, ContextWindow = 128_000,
                // Credentials pasted into a prompt are replaced before it leaves; the rest is sent.
                ContentGuard = new ContentGuardSpec(GuardAction.Redact, [ContentDetector.Credential]),
            },
            new("gpt-4o-mini-2024-05-01", VersionStatus.Deprecated, Usd(0.15m, 0.075m, 0.60m),
            [
                new("gpt-4o-mini-old-azure", AzureProvider, "gpt-4o-mini-old"),
            ])
            {
                MaxOutputTokens = 4_096,
                DeprecatedAt = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero),
                SunsetAt = new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero),
                Successor = "gpt-4o-mini-2024-07-18",
            },
        ]) { Tokenizer = "o200k_base", Description = "GPT-4o mini on Azure OpenAI" },

        new("claude-sonnet", ModelKind.Chat, "claude-sonnet-4-20250514",
        [
            new("claude-sonnet-4-20250514", VersionStatus.Ga, Usd(3.00m, 0.30m, 15.00m),
            [
                new("claude-sonnet-4-primary", AnthropicProvider, "claude-sonnet-4-20250514"),
            ]) { MaxOutputTokens = 8_192, ContextWindow = 200_000 },
            new("claude-3-5-sonnet-20240620", VersionStatus.Retired, Usd(3.00m, 0.30m, 15.00m), [])
            {
                DeprecatedAt = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero),
                SunsetAt = new DateTimeOffset(2025, 10, 22, 0, 0, 0, TimeSpan.Zero),
                Successor = "claude-sonnet-4-20250514",
            },
        ]) { Description = "Claude Sonnet through Anthropic's Messages API" },

        new("text-embedding-3-small", ModelKind.Embeddings, "text-embedding-3-small-1",
        [
            new("text-embedding-3-small-1", VersionStatus.Ga, Usd(0.02m, 0m, 0m),
            [
                new("embedding-small-primary", OpenAIProvider, "text-embedding-3-small"),
            ]),
            new("text-embedding-ada-002-2", VersionStatus.Retired, Usd(0.10m, 0m, 0m), [])
            {
                SunsetAt = new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero),
                Successor = "text-embedding-3-small-1",
            },
        ]) { Tokenizer = "cl100k_base", Description = "Text embeddings" },

        new("gpt-4o-realtime", ModelKind.Realtime, "gpt-4o-realtime-preview-2024-12-17",
        [
            new("gpt-4o-realtime-preview-2024-12-17", VersionStatus.Ga, Usd(5.00m, 2.50m, 20.00m),
            [
                new("realtime-primary", OpenAIProvider, "gpt-4o-realtime-preview-2024-12-17"),
            ]),
            new("gpt-4o-realtime-preview-2024-10-01", VersionStatus.Deprecated, Usd(5.00m, 2.50m, 20.00m),
            [
                new("realtime-old", OpenAIProvider, "gpt-4o-realtime-preview-2024-10-01"),
            ]) { Successor = "gpt-4o-realtime-preview-2024-12-17", SunsetAt = new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero) },
        ]) { Tokenizer = "o200k_base", Description = "Realtime over WebSocket" },

        new("fraud-scorer", ModelKind.Inference, "fraud-scorer-2",
        [
            new("fraud-scorer-2", VersionStatus.Ga, Usd(0m, 0m, 0m),
            [
                new("fraud-scorer-2-triton", KServeProvider, "fraud-scorer-2"),
            ]) { MaxDataClassification = DataClassification.Restricted },
            new("fraud-scorer-1", VersionStatus.Deprecated, Usd(0m, 0m, 0m),
            [
                new("fraud-scorer-1-triton", KServeProvider, "fraud-scorer-1"),
            ]) { Successor = "fraud-scorer-2", MaxDataClassification = DataClassification.Restricted },
        ]) { Description = "In-house fraud model (KServe v2 inference protocol)" },
    ];

    public static IReadOnlyList<TeamSpec> Teams { get; } =
    [
        new(TeamId, TeamName, CostCentre) { Limits = new LimitSpec(RequestsPerMinute: 6_000, TokensPerMinute: 2_000_000, MaxConcurrent: 200) },
        new(OtherTeamId, OtherTeamName, OtherCostCentre),
    ];

    /// <summary>The demo team's subscriptions: one per alias, generous limits and a monthly budget.</summary>
    public static IReadOnlyList<SubscriptionSpec> Subscriptions { get; } = BuildSubscriptions();

    public static string SubscriptionId(string alias) => $"sub-demo-{alias}";

    public static ApiKeySpec DemoKey => new(
        DemoKeys.KeyId, ApiKeyFormat.HashToHex(DemoKeys.Key), TeamId, "demo-app", KeyExpiry,
        [.. Subscriptions.Select(s => s.Id)]);

    /// <summary>The whole demo snapshot with every upstream at <paramref name="mockLlmUrl"/>.</summary>
    public static GatewaySnapshot Snapshot(string mockLlmUrl) => new()
    {
        Revision = 1,
        IssuedAt = Issued,
        Providers = Providers(mockLlmUrl.TrimEnd('/')),
        Models = Models,
        Teams = Teams,
        Subscriptions = Subscriptions,
        Keys = [DemoKey],
    };

    private static PriceSpec Usd(decimal input, decimal cached, decimal output) => new(input, cached, output, "USD");

    private static SubscriptionSpec[] BuildSubscriptions()
    {
        var subscriptions = new SubscriptionSpec[Models.Count];
        for (var i = 0; i < Models.Count; i++)
        {
            subscriptions[i] = new SubscriptionSpec(SubscriptionId(Models[i].Alias), TeamId, Models[i].Alias)
            {
                Limits = new LimitSpec(RequestsPerMinute: 600, TokensPerMinute: 200_000, MaxConcurrent: 20),
                Budget = new BudgetSpec(MonthlyTokens: 50_000_000, MonthlyAmount: 500m, Currency: "USD"),
            };
        }
        return subscriptions;
    }
}
