using System.ComponentModel.DataAnnotations;

namespace Gateway.Portal;

/// <summary>Settings under <c>Portal</c>.</summary>
internal sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>The control plane: OIDC authority and admin API base address.</summary>
    [Required, Url]
    public string ControlPlaneUrl { get; set; } = "";

    /// <summary>The proxy applications call; shown in quick-start snippets.</summary>
    [Required, Url]
    public string ProxyUrl { get; set; } = "";

    /// <summary>The Portal's OAuth client (public, authorization code + PKCE).</summary>
    [Required]
    public string ClientId { get; set; } = "gateway-portal";

    /// <summary>Refuse an authority without HTTPS (off only for the plain-HTTP default run).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How long a signed-in session lives without activity (cookie and server-side tokens).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>An access token is refreshed when it expires within this margin.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many days ahead a new key's expiry defaults to.</summary>
    [Range(1, 3650)]
    public int DefaultKeyLifetimeDays { get; set; } = 90;

    /// <summary>What the approval dialog proposes when the request named no limits or budget.</summary>
    public ApprovalDefaults ApprovalDefaults { get; set; } = new();
}

/// <summary>Prefilled values of the approval dialog; the approver changes them freely.</summary>
internal sealed class ApprovalDefaults
{
    [Range(1, int.MaxValue)]
    public int RequestsPerMinute { get; set; } = 60;

    [Range(1, int.MaxValue)]
    public int TokensPerMinute { get; set; } = 100_000;

    [Range(1, int.MaxValue)]
    public int MaxConcurrent { get; set; } = 10;

    [Range(1, long.MaxValue)]
    public long MonthlyTokens { get; set; } = 5_000_000;

    /// <summary>Months from today until the subscription ends.</summary>
    [Range(1, 120)]
    public int DurationMonths { get; set; } = 12;
}
