namespace Gateway.Contracts.Snapshot;

/// <summary>
/// Everything a proxy knows, as one immutable value. The control plane compiles it from its
/// database and signs it; a standalone proxy reads it from a file. A proxy swaps the whole
/// snapshot atomically when a new revision arrives. Secrets never appear here: providers carry
/// credential references and keys carry hashes.
/// </summary>
public sealed record GatewaySnapshot
{
    // Members with a default value use 'set', not 'init': the source-generated JSON reader assigns
    // every init-only member (default(T) when the JSON omits it), which would lose these defaults.

    /// <summary>Monotonic revision; a proxy never applies a revision lower than the one it holds (file sources may reuse 0).</summary>
    public long Revision { get; init; }

    /// <summary>When the control plane (or the file's author) issued this snapshot.</summary>
    public DateTimeOffset IssuedAt { get; init; }

    /// <summary>How many proxies the control plane saw alive when it issued this revision (for fail-open shares).</summary>
    public int LiveProxies { get; set; } = 1;

    public IReadOnlyList<ProviderSpec> Providers { get; set; } = [];

    public IReadOnlyList<ModelSpec> Models { get; set; } = [];

    public IReadOnlyList<TeamSpec> Teams { get; set; } = [];

    public IReadOnlyList<SubscriptionSpec> Subscriptions { get; set; } = [];

    public IReadOnlyList<ApiKeySpec> Keys { get; set; } = [];
}

/// <summary>An upstream model provider.</summary>
/// <param name="Id">Stable id, referenced by deployments.</param>
/// <param name="Kind">The wire format the provider speaks.</param>
/// <param name="BaseUrl">Absolute http(s) URL, e.g. <c>https://api.openai.com</c> (no trailing <c>/v1</c>).</param>
/// <param name="CredentialRef">
/// Where the proxy finds the provider's secret: <c>env:NAME</c> or <c>file:/path</c>. Null when the
/// provider needs no credential (a self-hosted model on the bank's network).
/// </param>
public sealed record ProviderSpec(string Id, ProviderKind Kind, string BaseUrl, string? CredentialRef = null)
{
    /// <summary>Azure OpenAI <c>api-version</c> used when the client did not send one.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>Time allowed to connect.</summary>
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>Time allowed until the first response byte (long enough for reasoning models).</summary>
    public int FirstByteTimeoutSeconds { get; set; } = 300;

    /// <summary>Longest silence allowed between two chunks of a stream.</summary>
    public int StreamIdleTimeoutSeconds { get; set; } = 120;

    /// <summary>Cut off by a platform admin: no traffic goes to its deployments, and its credential is not read.</summary>
    public bool Suspended { get; set; }
}

/// <summary>A model alias (what clients put in <c>model</c>) and its versions.</summary>
/// <param name="Alias">Client-facing name, e.g. <c>gpt-4o</c>.</param>
/// <param name="DefaultVersion">The version an unpinned subscription gets.</param>
public sealed record ModelSpec(string Alias, ModelKind Kind, string DefaultVersion, IReadOnlyList<ModelVersionSpec> Versions)
{
    /// <summary>Optional canary: this share of requests (by request id) goes to another version.</summary>
    public CanarySpec? Canary { get; init; }

    /// <summary>Tokenizer for estimates: <c>o200k_base</c>, <c>cl100k_base</c>, or null for the documented fallback.</summary>
    public string? Tokenizer { get; init; }

    /// <summary>Human description for the catalog and <c>/v1/models</c>.</summary>
    public string? Description { get; init; }
}

/// <summary>Send <paramref name="Percent"/> % of an alias's unpinned traffic to <paramref name="Version"/>.</summary>
public sealed record CanarySpec(string Version, double Percent);

/// <summary>One concrete model version, e.g. <c>gpt-4o-2024-08-06</c>.</summary>
public sealed record ModelVersionSpec(string Name, VersionStatus Status, PriceSpec Prices, IReadOnlyList<DeploymentSpec> Deployments)
{
    /// <summary>When the version was (or will be) deprecated; sent in the <c>Deprecation</c> header.</summary>
    public DateTimeOffset? DeprecatedAt { get; init; }

    /// <summary>When the version stops serving; sent in the <c>Sunset</c> header.</summary>
    public DateTimeOffset? SunsetAt { get; init; }

    /// <summary>The version to move to, named in deprecation headers and the 410 of a retired version.</summary>
    public string? Successor { get; init; }

    /// <summary>The most sensitive data this version may receive.</summary>
    public DataClassification MaxDataClassification { get; set; } = DataClassification.Internal;

    /// <summary>The version's output cap: the reservation when a request names no <c>max_tokens</c>.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Context window in tokens, informational.</summary>
    public int? ContextWindow { get; init; }

    /// <summary>What the proxies look for in a request to this version before it leaves, and what they do about it; null sends what the application sends.</summary>
    public ContentGuardSpec? ContentGuard { get; init; }
}

/// <summary>Prices per one million tokens, in <paramref name="Currency"/> (ISO 4217).</summary>
public sealed record PriceSpec(decimal InputPerMillion, decimal CachedInputPerMillion, decimal OutputPerMillion, string Currency);

/// <summary>Where a version is served.</summary>
/// <param name="UpstreamModel">The model (or Azure deployment) name the provider expects.</param>
/// <param name="Weight">Share among deployments of the same priority.</param>
/// <param name="Priority">Lower is tried first; higher priorities are fail-over targets.</param>
public sealed record DeploymentSpec(string Id, string ProviderId, string UpstreamModel, int Weight = 1, int Priority = 0)
{
    public string? Region { get; init; }
}

/// <summary>A team: the unit that owns keys and subscriptions and pays through its cost centre.</summary>
public sealed record TeamSpec(string Id, string Name, string CostCentre)
{
    /// <summary>Team-wide limits across all its subscriptions and keys.</summary>
    public LimitSpec? Limits { get; init; }
}

/// <summary>Team × model alias access granted by an approval.</summary>
public sealed record SubscriptionSpec(string Id, string TeamId, string ModelAlias)
{
    /// <summary>Pins the alias to one version for this subscription (else default/canary).</summary>
    public string? PinnedVersion { get; init; }

    public LimitSpec? Limits { get; init; }

    public BudgetSpec? Budget { get; init; }

    /// <summary>What happens when a request would overrun the tokens left: reject, or clamp <c>max_tokens</c>.</summary>
    public OverLimitAction OverLimit { get; set; } = OverLimitAction.Reject;

    /// <summary>Output cap applied to every request of this subscription (clamps <c>max_tokens</c>).</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>After this instant the subscription no longer admits requests.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>Usage already settled in the ledger for the current period (a restarted proxy starts from the truth).</summary>
    public PeriodUsageSpec? Usage { get; init; }
}

/// <summary>Rate limits at one scope (key, subscription or team). Null means unlimited.</summary>
public sealed record LimitSpec(int? RequestsPerMinute = null, int? TokensPerMinute = null, int? MaxConcurrent = null);

/// <summary>A calendar-month budget in tokens and/or money (in <paramref name="Currency"/>).</summary>
public sealed record BudgetSpec(long? MonthlyTokens = null, decimal? MonthlyAmount = null, string? Currency = null);

/// <summary>Usage settled for <paramref name="Period"/> (<c>yyyy-MM</c>, UTC).</summary>
public sealed record PeriodUsageSpec(string Period, long Tokens, decimal Amount);

/// <summary>An API key, known to proxies only by its id and the SHA-256 of its secret.</summary>
/// <param name="KeyId">The 12-character id embedded in the key (see <see cref="Keys.ApiKeyFormat"/>).</param>
/// <param name="Hash">Lowercase hex SHA-256 of the whole key string.</param>
/// <param name="SubscriptionIds">The subscriptions (of the key's team) this key may use.</param>
public sealed record ApiKeySpec(string KeyId, string Hash, string TeamId, string Application, DateTimeOffset ExpiresAt, IReadOnlyList<string> SubscriptionIds)
{
    public KeyStatus Status { get; set; } = KeyStatus.Active;

    public LimitSpec? Limits { get; init; }

    /// <summary>The networks the key may be used from (<see cref="Keys.ClientNetworks"/>); null or empty: any.</summary>
    public IReadOnlyList<string>? AllowedNetworks { get; init; }
}
