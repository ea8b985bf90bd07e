using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Auth;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Approvals;

public partial class ApprovalQueue
{
    /// <summary>Why an approver's own request has no active buttons (the API refuses it too: maker-checker).</summary>
    internal const string OwnRequestReason = "Your own request: another approver must decide it (maker-checker).";

    private static readonly int[] PageSizes = [10, 25, 50];
    private static readonly Dictionary<string, string> SortFields = new()
    {
        ["RequestedAt"] = "requestedAt", ["TeamId"] = "teamId", ["ModelAlias"] = "modelAlias",
    };

    private MudDataGrid<AccessRequestDto>? _grid;
    private string? _teamId;
    private string? _model;
    private string? _kind;
    private string? _userId;

    [Inject]
    private AccessRequestsApi Api { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync() =>
        _userId = (await AuthenticationState).User.FindFirst(PortalClaims.Subject)?.Value;

    private bool IsOwn(AccessRequestDto request) => request.RequestedBy == _userId;

    private async Task<GridData<AccessRequestDto>> LoadAsync(GridState<AccessRequestDto> state, CancellationToken ct)
    {
        var q = GridQuery.From(state, SortFields);
        return await LoadGridAsync(() => Api.ListAsync(new AccessRequestQuery
        {
            Page = q.Page, PageSize = q.PageSize, Sort = q.Sort ?? "requestedAt", Order = q.Order ?? "asc",
            Status = "pending", TeamId = _teamId, ModelAlias = _model, Kind = _kind,
        }, ct));
    }

    private Task TeamChanged(string? value)
    {
        _teamId = value;
        return _grid!.ReloadServerData();
    }

    private Task ModelChanged(string? value)
    {
        _model = value;
        return _grid!.ReloadServerData();
    }

    private Task KindChanged(string? value)
    {
        _kind = value;
        return _grid!.ReloadServerData();
    }

    private async Task ApproveAsync(AccessRequestDto request)
    {
        var parameters = new DialogParameters<ApproveDialog> { { d => d.Request, request } };
        var dialog = await Dialogs.ShowAsync<ApproveDialog>($"Approve {request.ModelAlias} for {request.TeamId}", parameters, DialogSizes.Medium);
        if (await dialog.Result is { Canceled: false, Data: AccessRequestDto approved })
        {
            Snackbar.Add($"Approved: subscription {approved.ResultSubscriptionId} is active.", Severity.Success);
            await _grid!.ReloadServerData();
        }
    }

    private async Task RejectAsync(AccessRequestDto request)
    {
        var parameters = new DialogParameters<RejectDialog> { { d => d.Request, request } };
        var dialog = await Dialogs.ShowAsync<RejectDialog>($"Reject {request.ModelAlias} for {request.TeamId}", parameters, DialogSizes.Small);
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add("Rejected; the requester sees your reason.", Severity.Info);
            await _grid!.ReloadServerData();
        }
    }
}
