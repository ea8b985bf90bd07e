using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Usage;

public partial class UsageRecordsGrid
{
    private static readonly int[] PageSizes = [10, 25, 50];
    private static readonly Dictionary<string, string> SortFields = new() { ["Timestamp"] = "timestamp", ["Cost"] = "cost" };
    private MudDataGrid<UsageRecordDto>? _grid;
    private string? _loadedTeam;

    [Parameter]
    public string? TeamId { get; set; }

    [Inject]
    private UsageApi Api { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        if (_grid is not null && _loadedTeam != TeamId) await _grid.ReloadServerData();
    }

    private async Task<GridData<UsageRecordDto>> LoadAsync(GridState<UsageRecordDto> state, CancellationToken ct)
    {
        var q = GridQuery.From(state, SortFields);
        _loadedTeam = TeamId;
        return await LoadGridAsync(() => Api.RecordsAsync(new UsageRecordQuery { Page = q.Page, PageSize = q.PageSize, Sort = q.Sort, Order = q.Order, TeamId = TeamId }, ct));
    }
}
