using Gateway.Contracts.Admin;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Finance;

/// <summary>Series and labels for MudBlazor charts, built from usage summaries.</summary>
internal sealed record ChartData(List<ChartSeries<double>> Series, string[] Labels)
{
    public static readonly ChartData Empty = new([], []);

    /// <summary>Cost per month, one series per currency; months without usage are zero.</summary>
    public static ChartData OverTime(IReadOnlyList<UsageSummaryRow> byMonth, IReadOnlyList<string> months)
    {
        if (byMonth.Count == 0) return Empty;
        var series = byMonth.GroupBy(r => r.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ChartSeries<double>
            {
                Name = $"Cost ({g.Key})",
                Data = new ChartData<double>([.. months.Select(m => (double)g.Where(r => r.Key == m).Sum(r => r.Cost))]),
            }).ToList();
        return new ChartData(series, [.. months]);
    }

    /// <summary>Each group's share of the cost (the largest currency's rows when several).</summary>
    public static ChartData Share(IReadOnlyList<UsageSummaryRow> rows)
    {
        var currency = rows.GroupBy(r => r.Currency).OrderByDescending(g => g.Sum(r => r.Cost)).FirstOrDefault();
        if (currency is null || currency.Sum(r => r.Cost) <= 0) return Empty;
        var slices = currency.Where(r => r.Cost > 0).OrderByDescending(r => r.Cost).ToList();
        return new ChartData(
            [new ChartSeries<double> { Name = $"Cost ({currency.Key})", Data = new ChartData<double>([.. slices.Select(r => (double)r.Cost)]) }],
            [.. slices.Select(r => r.Key)]);
    }
}
