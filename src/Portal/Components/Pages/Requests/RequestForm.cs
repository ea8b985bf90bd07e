using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;

namespace Gateway.Portal.Components.Pages.Requests;

/// <summary>
/// The access-request form. The use case heads the justification the approver reads, and the
/// expected monthly volume is the token budget asked for (the approver may change it).
/// </summary>
internal sealed class RequestForm
{
    public static readonly string[] UseCases =
    [
        "Chat assistant", "Summarisation", "Classification and extraction", "Code assistance", "Search and embeddings", "Decision support", "Other",
    ];

    /// <summary>The API's field names this form shows next to its inputs.</summary>
    public static readonly string[] Fields =
    [
        "teamId", "modelAlias", "justification", "dataClassification", "budget.monthlyTokens", "budget.monthlyAmount", "limits.requestsPerMinute", "endsAt",
    ];

    public string? TeamId { get; set; }

    public string? ModelAlias { get; set; }

    public string UseCase { get; set; } = UseCases[0];

    public string? Justification { get; set; }

    public DataClassification DataClassification { get; set; } = DataClassification.Internal;

    public long? MonthlyTokens { get; set; }

    public decimal? MonthlyAmount { get; set; }

    public int? RequestsPerMinute { get; set; }

    public DateTime? EndsAt { get; set; }

    public bool IsComplete => !string.IsNullOrEmpty(TeamId) && !string.IsNullOrEmpty(ModelAlias);

    public CreateAccessRequest ToRequest(string currency)
    {
        var justification = string.IsNullOrWhiteSpace(Justification) ? "" : $"Use case: {UseCase}. {Justification.Trim()}";
        var budget = MonthlyTokens is null && MonthlyAmount is null ? null : new BudgetSpec(MonthlyTokens, MonthlyAmount, MonthlyAmount is null ? null : currency);
        var limits = RequestsPerMinute is null ? null : new LimitSpec(RequestsPerMinute: RequestsPerMinute);
        DateTimeOffset? endsAt = EndsAt is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d.Date.AddDays(1), DateTimeKind.Utc)) : null;
        return new CreateAccessRequest(TeamId ?? "", ModelAlias ?? "", justification, limits, budget, DataClassification, endsAt);
    }
}
