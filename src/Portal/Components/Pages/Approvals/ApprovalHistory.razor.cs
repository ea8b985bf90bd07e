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
    private Exception? _error;
    private string _status = "approved";
    private string? _teamId;

    [Inject]
    private AccessRequestsApi Api { get; set; } = default!;

    private async Task<GridData<AccessRequestDto>> LoadAsync(GridState<AccessRequestDto> state, CancellationToken ct)
    {
        var q = GridQuery.From(state, SortFields);
        try
        {
            var page = await Api.ListAsync(new AccessRequestQuery
            {
                Page = q.Page, PageSize = q.PageSize, Sort = q.Sort ?? "decidedAt", Order = q.Order ?? "desc", Status = _status, TeamId = _teamId,
            }, ct);
            ClearError(ref _error);
            return GridQuery.Data(page);
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _error = ex;
            StateHasChanged();
            return GridQuery.Empty<AccessRequestDto>();
        }
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
