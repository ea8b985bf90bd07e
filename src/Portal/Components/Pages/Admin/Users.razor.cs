using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Admin;

public partial class Users
{
    private static readonly int[] PageSizes = [10, 25, 50];
    private static readonly Dictionary<string, string> SortFields = new() { ["Email"] = "email", ["DisplayName"] = "displayName", ["CreatedAt"] = "createdAt" };

    private MudDataGrid<UserDto>? _grid;
    private string? _search;
    private string? _role;

    [Inject]
    private TeamsApi Api { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private async Task<GridData<UserDto>> LoadAsync(GridState<UserDto> state, CancellationToken ct)
    {
        var q = GridQuery.From(state, SortFields);
        return await LoadGridAsync(() => Api.ListUsersAsync(new UserQuery { Page = q.Page, PageSize = q.PageSize, Sort = q.Sort, Order = q.Order, Search = _search, Role = _role }, ct));
    }

    private Task SearchChanged(string? value)
    {
        _search = value;
        return _grid!.ReloadServerData();
    }

    private Task RoleChanged(string? value)
    {
        _role = value;
        return _grid!.ReloadServerData();
    }

    private async Task EditRolesAsync(UserDto user)
    {
        var parameters = new DialogParameters<RolesDialog> { { d => d.User, user } };
        var dialog = await Dialogs.ShowAsync<RolesDialog>($"Roles of {user.Email}", parameters, DialogSizes.Small);
        if (await dialog.Result is { Canceled: false } saved)
        {
            Snackbar.AddOutcome(saved.Data, "Roles saved.");
            await _grid!.ReloadServerData();
        }
    }
}
