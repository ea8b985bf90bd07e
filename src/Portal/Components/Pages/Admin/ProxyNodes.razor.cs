using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Admin;

public partial class ProxyNodes
{
    private static readonly int[] PageSizes = [10, 25, 50];
    private static readonly Dictionary<string, string> SortFields = new()
    {
        ["NodeId"] = "nodeId", ["AppliedRevision"] = "appliedRevision", ["LastSeenAt"] = "lastSeenAt",
    };

    private MudDataGrid<ProxyNodeDto>? _grid;
    private SnapshotInfoDto? _snapshot;
    private Exception? _snapshotError;
    private bool _liveOnly;

    [Inject]
    private ProxiesApi Api { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadSnapshotAsync();

    private async Task LoadSnapshotAsync()
    {
        try
        {
            _snapshot = await Api.SnapshotAsync(CancellationToken.None);
            _snapshotError = null;
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _snapshotError = ex;
        }
    }

    private async Task<GridData<ProxyNodeDto>> LoadAsync(GridState<ProxyNodeDto> state, CancellationToken ct)
    {
        var q = GridQuery.From(state, SortFields);
        return await LoadGridAsync(() => Api.ListAsync(new ProxyNodeQuery { Page = q.Page, PageSize = q.PageSize, Sort = q.Sort, Order = q.Order, LiveOnly = _liveOnly ? true : null }, ct));
    }

    private Task LiveOnlyChanged(bool value)
    {
        _liveOnly = value;
        return _grid!.ReloadServerData();
    }

    private async Task RefreshAsync()
    {
        await LoadSnapshotAsync();
        await _grid!.ReloadServerData();
    }
}
