using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Finance;

public partial class Statements
{
    private static readonly Dictionary<string, string> SortFields = new() { ["Period"] = "period" };

    private MudDataGrid<StatementPeriodDto>? _grid;
    private IReadOnlyList<string> _recent = [];
    private StatementDto? _statement;
    private string _period = "";
    private string _closedFilter = "all";
    private Exception? _error;
    private bool _loading = true;
    private bool _closing;

    [SupplyParameterFromQuery(Name = "period")]
    public string? Period { get; set; }

    [Inject]
    private StatementsApi Api { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    /// <summary>Why the month cannot be closed now (the API refuses the same), or null.</summary>
    private string? CloseReason => _statement switch
    {
        null => "Choose a month first.",
        { Closed: true } => $"{_period} is already closed.",
        _ when !Periods.HasEnded(_period, Time.GetUtcNow()) => $"{_period} has not ended yet; only a past month can be closed.",
        _ => null,
    };

    protected override async Task OnInitializedAsync()
    {
        var now = Time.GetUtcNow();
        _recent = Periods.Recent(now, 24);
        await SelectAsync(Period is { Length: 7 } p && _recent.Contains(p) ? p : Periods.Of(now));
    }

    private async Task<GridData<StatementPeriodDto>> LoadPeriodsAsync(GridState<StatementPeriodDto> state, CancellationToken ct)
    {
        var q = GridQuery.From(state, SortFields);
        return await LoadGridAsync(() => Api.ListAsync(new StatementPeriodQuery
        {
            Page = q.Page, PageSize = q.PageSize, Sort = q.Sort, Order = q.Order, Closed = _closedFilter switch { "open" => false, "closed" => true, _ => null },
        }, ct));
    }

    private Task ClosedFilterChanged(string value)
    {
        _closedFilter = value;
        return _grid!.ReloadServerData();
    }

    private async Task SelectAsync(string period)
    {
        _period = period;
        _loading = true;
        _error = null;
        try
        {
            _statement = await Api.GetAsync(period, CancellationToken.None);
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _statement = null;
            _error = ex;
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task CloseMonthAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Close {_period}?", "The month's lines are frozen for good; later corrections become adjustments in an open month.",
            yesText: "Close month", cancelText: "Not now");
        if (confirmed != true) return;
        _closing = true;
        try
        {
            _statement = await Api.CloseAsync(_period, CancellationToken.None);
            Snackbar.Add($"{_period} is closed.", Severity.Success);
            await _grid!.ReloadServerData();
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            Snackbar.Add(Failures.MessageOf(ex), Severity.Error);
        }
        finally
        {
            _closing = false;
        }
    }

    private async Task AdjustAsync()
    {
        var parameters = new DialogParameters<AdjustmentDialog> { { d => d.Period, _period }, { d => d.Statement, _statement } };
        var dialog = await Dialogs.ShowAsync<AdjustmentDialog>($"Adjustment in {_period}", parameters, DialogSizes.Small);
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add("Adjustment booked.", Severity.Success);
            await SelectAsync(_period);
            await _grid!.ReloadServerData();
        }
    }
}
