using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Approvals;

public partial class ApprovalHistory
{
    private static readonly int[] PageSizes = [10, 25, 50];
    private static readonly Dictionary<string, string> SortFields = new()
    {
        ["DecidedAt"] = "decidedAt", ["TeamId"] = "teamId", ["ModelAlias"] = "modelAlias",
    };

    private MudDataGrid<AccessRequestDto>? _grid;
    private string _status = "approved";
    private string? _teamId;

    [Inject]
    private AccessRequestsApi Api { get; set; } = default!;

    private async Task<GridData<AccessRequestDto>> LoadAsync(GridState<AccessRequestDto> state, CancellationToken ct)
    {
        var q = GridQuery.From(state, SortFields);
        return await LoadGridAsync(() => Api.ListAsync(new AccessRequestQuery
        {
            Page = q.Page, PageSize = q.PageSize, Sort = q.Sort ?? "decidedAt", Order = q.Order ?? "desc", Status = _status, TeamId = _teamId,
        }, ct));
    }

    private Task StatusChanged(string value)
    {
        _status = value;
        return _grid!.ReloadServerData();
    }

    private Task TeamChanged(string? value)
    {
        _teamId = value;
        return _grid!.ReloadServerData();
    }
}
