using System.Globalization;
using Gateway.Contracts.Snapshot;
using MudBlazor;

namespace Gateway.Portal.Components.Shared;

/// <summary>How values read on the page: money, token counts, dates, lifecycle colours.</summary>
internal static class Labels
{
    public static string Money(decimal amount, string? currency) =>
        $"{amount.ToString("#,##0.00####", CultureInfo.InvariantCulture)} {currency}".TrimEnd();

    public static string Count(long value) => value.ToString("#,##0", CultureInfo.InvariantCulture);

    public static string Count(long? value) => value is { } v ? Count(v) : "—";

    public static string Date(DateTimeOffset? value) => value?.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    public static string Time(DateTimeOffset? value) => value?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "—";

    public static Color StatusColor(VersionStatus status) => status switch
    {
        VersionStatus.Ga => Color.Success,
        VersionStatus.Preview => Color.Info,
        VersionStatus.Deprecated => Color.Warning,
        _ => Color.Default,
    };

    public static Color StatusColor(Gateway.Contracts.Admin.AccessRequestStatus status) => status switch
    {
        Gateway.Contracts.Admin.AccessRequestStatus.Pending => Color.Info,
        Gateway.Contracts.Admin.AccessRequestStatus.Approved => Color.Success,
        Gateway.Contracts.Admin.AccessRequestStatus.Rejected => Color.Error,
        _ => Color.Default,
    };

    public static Color StatusColor(Gateway.Contracts.Admin.ChangeStatus status) => status switch
    {
        Gateway.Contracts.Admin.ChangeStatus.Pending => Color.Info,
        Gateway.Contracts.Admin.ChangeStatus.Applied => Color.Success,
        Gateway.Contracts.Admin.ChangeStatus.Rejected => Color.Error,
        Gateway.Contracts.Admin.ChangeStatus.Failed => Color.Warning,
        _ => Color.Default,
    };

    public static string Limits(LimitSpec? limits) => limits is null
        ? "none"
        : string.Join(", ", new[]
        {
            limits.RequestsPerMinute is { } r ? $"{Count(r)} req/min" : null,
            limits.TokensPerMinute is { } t ? $"{Count(t)} tokens/min" : null,
            limits.MaxConcurrent is { } c ? $"{c} concurrent" : null,
        }.Where(s => s is not null));

    public static string Budget(BudgetSpec? budget) => budget is null
        ? "none"
        : string.Join(", ", new[]
        {
            budget.MonthlyTokens is { } t ? $"{Count(t)} tokens/month" : null,
            budget.MonthlyAmount is { } a ? $"{Money(a, budget.Currency)}/month" : null,
        }.Where(s => s is not null));
}
