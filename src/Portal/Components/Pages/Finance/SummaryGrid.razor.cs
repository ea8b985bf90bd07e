using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Finance;

public partial class SummaryGrid
{
    private static readonly int[] PageSizes = [10, 25, 50];
    private static readonly Dictionary<string, string> SortFields = new()
    {
        ["Key"] = "key", ["Requests"] = "requests", ["TotalTokens"] = "totalTokens", ["Cost"] = "cost",
    };

    private MudDataGrid<UsageSummaryRow>? _grid;
    private UsageFilter? _loaded;

    [Parameter, EditorRequired]
    public string GroupBy { get; set; } = "";

    [Parameter, EditorRequired]
    public string KeyTitle { get; set; } = "";

    [Parameter, EditorRequired]
    public UsageFilter Filter { get; set; } = default!;

    [Inject]
    private UsageApi Api { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        if (_grid is not null && !ReferenceEquals(_loaded, Filter)) await _grid.ReloadServerData();
    }

    private async Task<GridData<UsageSummaryRow>> LoadAsync(GridState<UsageSummaryRow> state, CancellationToken ct)
    {
        _loaded = Filter;
        var q = GridQuery.From(state, SortFields);
        var query = Filter.Query(GroupBy, q.Sort, q.Order);
        (query.Page, query.PageSize) = (q.Page, q.PageSize);
        return await LoadGridAsync(() => Api.SummaryAsync(query, ct));
    }
}
