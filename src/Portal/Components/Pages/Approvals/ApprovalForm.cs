using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;

namespace Gateway.Portal.Components.Pages.Approvals;

/// <summary>The approval dialog's values: what was asked for, else the configured defaults.</summary>
internal sealed class ApprovalForm
{
    public static readonly string[] Fields =
    [
        "limits.requestsPerMinute", "limits.tokensPerMinute", "limits.maxConcurrent", "budget.monthlyTokens", "budget.monthlyAmount", "budget.currency",
        "endsAt", "pinnedVersion",
    ];

    public int? RequestsPerMinute { get; set; }

    public int? TokensPerMinute { get; set; }

    public int? MaxConcurrent { get; set; }

    public long? MonthlyTokens { get; set; }

    public decimal? MonthlyAmount { get; set; }

    public string? Currency { get; set; }

    public DateTime? EndsAt { get; set; }

    public string? PinnedVersion { get; set; }

    public bool Clamp { get; set; }

    public static ApprovalForm Prefill(AccessRequestDto request, ApprovalDefaults defaults, DateTimeOffset now) => new()
    {
        RequestsPerMinute = request.Limits?.RequestsPerMinute ?? defaults.RequestsPerMinute,
        TokensPerMinute = request.Limits?.TokensPerMinute ?? defaults.TokensPerMinute,
        MaxConcurrent = request.Limits?.MaxConcurrent ?? defaults.MaxConcurrent,
        MonthlyTokens = request.Budget?.MonthlyTokens ?? (request.Budget?.MonthlyAmount is null ? defaults.MonthlyTokens : null),
        MonthlyAmount = request.Budget?.MonthlyAmount,
        Currency = request.Budget?.Currency,
        EndsAt = (request.EndsAt ?? now.AddMonths(defaults.DurationMonths)).UtcDateTime.Date,
    };

    public ApproveAccessRequest ToRequest(string concurrencyStamp)
    {
        var limits = RequestsPerMinute is null && TokensPerMinute is null && MaxConcurrent is null ? null : new LimitSpec(RequestsPerMinute, TokensPerMinute, MaxConcurrent);
        var budget = MonthlyTokens is null && MonthlyAmount is null
            ? null
            : new BudgetSpec(MonthlyTokens, MonthlyAmount, MonthlyAmount is null ? null : string.IsNullOrWhiteSpace(Currency) ? null : Currency.Trim().ToUpperInvariant());
        DateTimeOffset? endsAt = EndsAt is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d.Date, DateTimeKind.Utc)) : null;
        return new ApproveAccessRequest(limits, budget, endsAt, string.IsNullOrEmpty(PinnedVersion) ? null : PinnedVersion,
            Clamp ? OverLimitAction.Clamp : OverLimitAction.Reject, null, concurrencyStamp);
    }
}
