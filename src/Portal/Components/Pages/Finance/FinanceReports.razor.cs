using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace Gateway.Portal.Components.Pages.Finance;

public partial class FinanceReports
{
    private static readonly (string Title, string GroupBy, string KeyTitle)[] Groupings =
    [
        ("By cost centre", "costCentre", "Cost centre"), ("By team", "team", "Team"), ("By model version", "modelVersion", "Model version"), ("By month", "month", "Month"),
    ];

    private UsageFilter _filter = new();
    private UsageFilter _applied = new();
    private IReadOnlyList<string> _periods = [];
    private ChartData _overTime = ChartData.Empty;
    private ChartData _byModel = ChartData.Empty;
    private Exception? _error;
    private bool _loading = true;
    private int _tab;

    [Inject]
    private UsageApi Usage { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override Task OnInitializedAsync()
    {
        _periods = Periods.Recent(Time.GetUtcNow(), 24);
        _filter = new UsageFilter { FromPeriod = _periods[Math.Min(5, _periods.Count - 1)], ToPeriod = _periods[0] };
        return ApplyAsync();
    }

    private async Task ApplyAsync()
    {
        _loading = true;
        _error = null;
        _applied = _filter with { };
        try
        {
            var byMonth = Usage.SummaryAllAsync(_applied.Query("month", "key", "asc"), CancellationToken.None);
            var byModel = Usage.SummaryAllAsync(_applied.Query("modelVersion", "cost", "desc"), CancellationToken.None);
            _overTime = ChartData.OverTime(await byMonth, _applied.Months());
            _byModel = ChartData.Share(await byModel);
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _error = ex;
        }
        finally
        {
            _loading = false;
        }
    }
}
