using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Auth;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Requests;

public partial class MyRequests
{
    private static readonly int[] PageSizes = [10, 25, 50];
    private static readonly Dictionary<string, string> SortFields = new()
    {
        ["RequestedAt"] = "requestedAt", ["TeamId"] = "teamId", ["ModelAlias"] = "modelAlias", ["Status"] = "status",
    };

    private MudDataGrid<AccessRequestDto>? _grid;
    private string? _status;
    private bool _mineOnly = true;
    private string? _userId;

    [Inject]
    private AccessRequestsApi Api { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync() =>
        _userId = (await AuthenticationState).User.FindFirst(PortalClaims.Subject)?.Value;

    private async Task<GridData<AccessRequestDto>> LoadAsync(GridState<AccessRequestDto> state, CancellationToken ct)
    {
        var q = GridQuery.From(state, SortFields);
        return await LoadGridAsync(() => Api.ListAsync(new AccessRequestQuery
        {
            Page = q.Page, PageSize = q.PageSize, Sort = q.Sort, Order = q.Order, Status = _status, Mine = _mineOnly ? true : null,
        }, ct));
    }

    private Task StatusChanged(string? value)
    {
        _status = value;
        return _grid!.ReloadServerData();
    }

    private Task MineOnlyChanged(bool value)
    {
        _mineOnly = value;
        return _grid!.ReloadServerData();
    }

    private async Task CancelAsync(AccessRequestDto request)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Cancel the request?", $"Your request for {request.ModelAlias} (team {request.TeamId}) will be withdrawn.", yesText: "Cancel request", cancelText: "Keep it");
        if (confirmed != true) return;
        try
        {
            await Api.CancelAsync(request.Id, CancellationToken.None);
            Snackbar.Add("Request cancelled.", Severity.Success);
            await _grid!.ReloadServerData();
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            Snackbar.Add(Failures.MessageOf(ex), Severity.Error);
        }
    }
}
