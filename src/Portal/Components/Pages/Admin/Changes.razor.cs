using System.Text.Json;
using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Auth;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Admin;

public partial class Changes
{
    /// <summary>Why one's own change has no active Approve button (the API refuses it too: four eyes).</summary>
    internal const string OwnChangeReason = "Your own change: another platform admin must approve it (four eyes).";

    private static readonly int[] PageSizes = [10, 25, 50];

    private MudDataGrid<ChangeDto>? _grid;
    private ChangeStatus? _status = ChangeStatus.Pending;
    private string? _userId;
    private Exception? _decisionError;
    private bool _deciding;

    [Inject]
    private ChangesApi Api { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync() =>
        _userId = (await AuthenticationState).User.FindFirst(PortalClaims.Subject)?.Value;

    private bool IsOwn(ChangeDto change) => change.RequestedBy == _userId;

    private async Task<GridData<ChangeDto>> LoadAsync(GridState<ChangeDto> state, CancellationToken ct) =>
        await LoadGridAsync(() => Api.ListAsync(_status, state.Page + 1, state.PageSize, ct));

    private Task StatusChanged(ChangeStatus? value)
    {
        _status = value;
        return _grid!.ReloadServerData();
    }

    private async Task ApproveAsync(ChangeDto change)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Approve {change.Id}?", $"{change.RequestedByName} proposed: {change.Summary} It is applied at once.", yesText: "Approve and apply", cancelText: "Cancel");
        if (confirmed != true) return;
        await DecideAsync(() => Api.ApproveAsync(change.Id, CancellationToken.None), decided =>
        {
            if (decided is { Status: ChangeStatus.Failed, Result: { } result })
                Snackbar.Add($"{decided.Id} no longer applies and was not applied: {ResultDetail(result)}", Severity.Warning);
            else
                Snackbar.Add($"Applied {decided.Id}.", Severity.Success);
        });
    }

    private Task WithdrawAsync(ChangeDto change) =>
        DecideAsync(() => Api.WithdrawAsync(change.Id, CancellationToken.None), withdrawn => Snackbar.Add($"Withdrew {withdrawn.Id}.", Severity.Info));

    private async Task RejectAsync(ChangeDto change)
    {
        _decisionError = null;
        var parameters = new DialogParameters<ChangeRejectDialog> { { d => d.Change, change } };
        var dialog = await Dialogs.ShowAsync<ChangeRejectDialog>($"Reject {change.Id}", parameters, DialogSizes.Small);
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add($"Rejected {change.Id}; nothing was changed.", Severity.Info);
            await _grid!.ReloadServerData();
        }
    }

    /// <summary>Runs a decision; the API's refusal (not one's own to approve, no longer pending) shows above the list.</summary>
    private async Task DecideAsync(Func<Task<ChangeDto>> decide, Action<ChangeDto> report)
    {
        _deciding = true;
        _decisionError = null;
        try
        {
            report(await decide());
            await _grid!.ReloadServerData();
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _decisionError = ex;
        }
        finally
        {
            _deciding = false;
        }
    }

    /// <summary>Why a held call no longer applied: its problem's detail (or title), else its status.</summary>
    private static string ResultDetail(ChangeResultDto result)
    {
        if (!string.IsNullOrWhiteSpace(result.Body))
        {
            try
            {
                using var problem = JsonDocument.Parse(result.Body);
                if (problem.RootElement.ValueKind == JsonValueKind.String) return problem.RootElement.GetString()!;
                foreach (var name in (string[])["detail", "title"])
                {
                    if (problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String)
                        return text.GetString()!;
                }
            }
            catch (JsonException)
            {
                return result.Body;
            }
        }
        return $"the control plane answered {result.StatusCode}";
    }
}
