using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Admin;

public partial class Teams
{
    private static readonly int[] PageSizes = [10, 25, 50];
    private static readonly Dictionary<string, string> SortFields = new()
    {
        ["Id"] = "id", ["Name"] = "name", ["CostCentre"] = "costCentre", ["CreatedAt"] = "createdAt",
    };

    private MudDataGrid<TeamDto>? _grid;
    private string? _search;
    private string? _costCentre;

    [Inject]
    private TeamsApi Api { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private async Task<GridData<TeamDto>> LoadAsync(GridState<TeamDto> state, CancellationToken ct)
    {
        var q = GridQuery.From(state, SortFields);
        return await LoadGridAsync(() => Api.ListAsync(new TeamQuery { Page = q.Page, PageSize = q.PageSize, Sort = q.Sort, Order = q.Order, Search = _search, CostCentre = _costCentre }, ct));
    }

    private Task SearchChanged(string? value)
    {
        _search = value;
        return _grid!.ReloadServerData();
    }

    private Task CostCentreChanged(string? value)
    {
        _costCentre = value;
        return _grid!.ReloadServerData();
    }

    private async Task EditAsync(TeamDto? team)
    {
        var parameters = new DialogParameters<TeamDialog> { { d => d.Team, team } };
        var dialog = await Dialogs.ShowAsync<TeamDialog>(team is null ? "New team" : $"Edit {team.Id}", parameters, DialogSizes.Small);
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add("Team saved.", Severity.Success);
            await _grid!.ReloadServerData();
        }
    }
}
