using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Admin;

public partial class Models
{
    private static readonly int[] PageSizes = [10, 25, 50];
    private static readonly Dictionary<string, string> SortFields = new() { ["Alias"] = "alias", ["Kind"] = "kind" };

    private MudDataGrid<ModelDto>? _grid;
    private string? _search;
    private bool _hideRetired;

    [Inject]
    private CatalogApi Api { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private async Task<GridData<ModelDto>> LoadAsync(GridState<ModelDto> state, CancellationToken ct)
    {
        var q = GridQuery.From(state, SortFields);
        return await LoadGridAsync(() => Api.ListAsync(new ModelQuery { Page = q.Page, PageSize = q.PageSize, Sort = q.Sort, Order = q.Order, Search = _search, HideRetired = _hideRetired ? true : null }, ct));
    }

    private Task SearchChanged(string? value)
    {
        _search = value;
        return _grid!.ReloadServerData();
    }

    private Task HideRetiredChanged(bool value)
    {
        _hideRetired = value;
        return _grid!.ReloadServerData();
    }

    private async Task EditModelAsync(ModelDto? model)
    {
        var parameters = new DialogParameters<ModelDialog> { { d => d.Model, model } };
        var dialog = await Dialogs.ShowAsync<ModelDialog>(model is null ? "New model" : $"{model.Alias}: default and canary", parameters, DialogSizes.Medium);
        if (await dialog.Result is { Canceled: false } saved)
        {
            Snackbar.AddOutcome(saved.Data, "Model saved.");
            await _grid!.ReloadServerData();
        }
    }

    private async Task AddVersionAsync(ModelDto model)
    {
        var parameters = new DialogParameters<VersionDialog> { { d => d.Alias, model.Alias }, { d => d.Kind, model.Kind } };
        var dialog = await Dialogs.ShowAsync<VersionDialog>($"New version of {model.Alias}", parameters, DialogSizes.Medium);
        if (await dialog.Result is { Canceled: false } added)
        {
            Snackbar.AddOutcome(added.Data, "Version added.");
            await _grid!.ReloadServerData();
        }
    }
}
