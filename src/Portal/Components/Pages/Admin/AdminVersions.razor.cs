using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Admin;

public partial class AdminVersions
{
    [Parameter, EditorRequired]
    public ModelDto Model { get; set; } = default!;

    [Parameter]
    public EventCallback OnChanged { get; set; }

    [Inject]
    private CatalogApi Api { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private Task LifecycleAsync(ModelVersionDto version) =>
        ShowAsync<LifecycleDialog>($"Lifecycle of {version.Name}", new DialogParameters<LifecycleDialog> { { d => d.Version, version } });

    private Task PricesAsync(ModelVersionDto version) =>
        ShowAsync<PricesDialog>($"Prices of {version.Name}", new DialogParameters<PricesDialog> { { d => d.Version, version } });

    private Task AddDeploymentAsync(ModelVersionDto version) =>
        ShowAsync<DeploymentDialog>($"New deployment of {version.Name}", new DialogParameters<DeploymentDialog> { { d => d.Version, version } });

    private Task ContentGuardAsync(ModelVersionDto version) =>
        ShowAsync<ContentGuardDialog>($"Content guard of {version.Name}", new DialogParameters<ContentGuardDialog> { { d => d.Version, version }, { d => d.Kind, Model.Kind } });

    private async Task ShowAsync<TDialog>(string title, DialogParameters parameters)
        where TDialog : IComponent
    {
        var dialog = await Dialogs.ShowAsync<TDialog>(title, parameters, DialogSizes.Small);
        if (await dialog.Result is { Canceled: false } saved)
        {
            Snackbar.AddOutcome(saved.Data, "Saved.");
            await OnChanged.InvokeAsync();
        }
    }

    private async Task RemoveDeploymentAsync(ModelVersionDto version, DeploymentDto deployment)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Remove deployment?", $"{deployment.Id} ({deployment.ProviderId}/{deployment.UpstreamModel}) stops serving {version.Name}.", yesText: "Remove", cancelText: "Keep");
        if (confirmed != true) return;
        try
        {
            var outcome = await Api.RemoveDeploymentAsync(version.ModelAlias, version.Name, deployment.Id, CancellationToken.None);
            Snackbar.AddOutcome(outcome, $"{deployment.Id} removed.");
            await OnChanged.InvokeAsync();
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            Snackbar.Add(Failures.MessageOf(ex), Severity.Error);
        }
    }
}
