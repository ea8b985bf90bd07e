using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Admin;

public partial class Providers
{
    private static readonly int[] PageSizes = [10, 25, 50];
    private static readonly Dictionary<string, string> SortFields = new() { ["Id"] = "id", ["Kind"] = "kind", ["CreatedAt"] = "createdAt" };

    private MudDataGrid<ProviderDto>? _grid;
    private string? _search;

    [Inject]
    private ProvidersApi Api { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private async Task<GridData<ProviderDto>> LoadAsync(GridState<ProviderDto> state, CancellationToken ct)
    {
        var q = GridQuery.From(state, SortFields);
        return await LoadGridAsync(() => Api.ListAsync(new ProviderQuery { Page = q.Page, PageSize = q.PageSize, Sort = q.Sort, Order = q.Order, Search = _search }, ct));
    }

    private Task SearchChanged(string? value)
    {
        _search = value;
        return _grid!.ReloadServerData();
    }

    private async Task EditAsync(ProviderDto? provider)
    {
        var parameters = new DialogParameters<ProviderDialog> { { d => d.Provider, provider } };
        var dialog = await Dialogs.ShowAsync<ProviderDialog>(provider is null ? "New provider" : $"Edit {provider.Id}", parameters, DialogSizes.Medium);
        if (await dialog.Result is { Canceled: false } saved)
        {
            Snackbar.AddOutcome(saved.Data, "Provider saved; proxies get it with the next snapshot.");
            await _grid!.ReloadServerData();
        }
    }

    private async Task SuspendAsync(ProviderDto provider)
    {
        var parameters = new DialogParameters<ProviderSuspendDialog> { { d => d.Provider, provider } };
        var dialog = await Dialogs.ShowAsync<ProviderSuspendDialog>($"Suspend {provider.Id}", parameters, DialogSizes.Small);
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add($"Suspended {provider.Id}: its deployments get no traffic.", Severity.Warning);
            await _grid!.ReloadServerData();
        }
    }

    private async Task ResumeAsync(ProviderDto provider)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Resume provider?",
            $"{provider.Id}'s deployments get traffic again. With change control on, a second platform admin must approve it first.",
            yesText: "Resume", cancelText: "Keep suspended");
        if (confirmed != true) return;
        try
        {
            var outcome = await Api.ResumeAsync(provider.Id, CancellationToken.None);
            Snackbar.AddOutcome(outcome, $"Resumed {provider.Id}; proxies send it traffic with the next snapshot.");
            await _grid!.ReloadServerData();
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            Snackbar.Add(Failures.MessageOf(ex), Severity.Error);
        }
    }

    private async Task DeleteAsync(ProviderDto provider)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete provider?", $"{provider.Id} ({provider.BaseUrl}) is removed.", yesText: "Delete", cancelText: "Keep it");
        if (confirmed != true) return;
        try
        {
            var outcome = await Api.DeleteAsync(provider.Id, CancellationToken.None);
            Snackbar.AddOutcome(outcome, $"{provider.Id} deleted.");
            await _grid!.ReloadServerData();
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            Snackbar.Add(Failures.MessageOf(ex), Severity.Error);
        }
    }
}
