using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Keys;

public partial class Keys
{
    private static readonly int[] PageSizes = [10, 25, 50];
    private static readonly Dictionary<string, string> SortFields = new()
    {
        ["Application"] = "application", ["TeamId"] = "teamId", ["CreatedAt"] = "createdAt", ["ExpiresAt"] = "expiresAt",
    };

    private MudDataGrid<ApiKeyDto>? _grid;
    private IReadOnlyList<TeamChoice> _teams = [];
    private HashSet<string> _memberOf = [];
    private string? _teamId;
    private string? _status = "active";
    private string? _search;
    private int? _unusedForDays;

    [Inject]
    private KeysApi Api { get; set; } = default!;

    [Inject]
    private MeApi Me { get; set; } = default!;

    [Inject]
    private TeamsApi Teams { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private bool CanCreate => _teamId is not null && _memberOf.Contains(_teamId);

    private bool IsMember(string teamId) => _memberOf.Contains(teamId);

    private bool IsUsable(ApiKeyDto key) => key.Status == KeyStatus.Active && key.ExpiresAt > Time.GetUtcNow();

    /// <summary>Days left (rounded up) when a usable key that was not rotated yet expires within two weeks; else null.</summary>
    private int? ExpiresSoon(ApiKeyDto key)
    {
        var left = key.ExpiresAt - Time.GetUtcNow();
        return IsUsable(key) && key.ReplacedBy is null && left <= TimeSpan.FromDays(14) ? (int)Math.Ceiling(left.TotalDays) : null;
    }

    private string StatusOf(ApiKeyDto key) => key.Status == KeyStatus.Revoked ? "revoked" : key.ExpiresAt <= Time.GetUtcNow() ? "expired" : "active";

    protected override async Task OnInitializedAsync()
    {
        try
        {
            var me = await Me.GetAsync(CancellationToken.None);
            _memberOf = [.. me.Teams.Select(t => t.TeamId)];
            _teams = (await AuthenticationState).User.IsInRole(GatewayRoles.PlatformAdmin)
                ? [.. (await Teams.ListAsync(new TeamQuery { PageSize = Paging.MaxPageSize, Sort = "id" }, CancellationToken.None)).Items.Select(t => new TeamChoice(t.Id, t.Name))]
                : [.. me.Teams.Select(t => new TeamChoice(t.TeamId, t.TeamName))];
            _teamId = me.Teams.Count > 0 ? me.Teams[0].TeamId : null;
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            LoadError = ex;
        }
    }

    private async Task<GridData<ApiKeyDto>> LoadAsync(GridState<ApiKeyDto> state, CancellationToken ct)
    {
        var q = GridQuery.From(state, SortFields);
        return await LoadGridAsync(() => Api.ListAsync(new ApiKeyQuery
        {
            Page = q.Page, PageSize = q.PageSize, Sort = q.Sort ?? "createdAt", Order = q.Order ?? "desc", TeamId = _teamId, Status = _status, Search = _search,
            UnusedForDays = _unusedForDays,
        }, ct));
    }

    private Task TeamChanged(string? value)
    {
        _teamId = value;
        return _grid!.ReloadServerData();
    }

    private Task StatusChanged(string? value)
    {
        _status = value;
        return _grid!.ReloadServerData();
    }

    private Task UnusedChanged(int? value)
    {
        _unusedForDays = value;
        return _grid!.ReloadServerData();
    }

    private Task SearchChanged(string? value)
    {
        _search = value;
        return _grid!.ReloadServerData();
    }

    private async Task CreateAsync()
    {
        if (_teamId is null) return;
        var parameters = new DialogParameters<CreateKeyDialog> { { d => d.TeamId, _teamId } };
        var dialog = await Dialogs.ShowAsync<CreateKeyDialog>($"New key for {_teamId}", parameters, DialogSizes.Small);
        if (await dialog.Result is { Canceled: false, Data: CreatedApiKeyDto created })
        {
            await ShowSecretAsync(created, "Your new key");
            await _grid!.ReloadServerData();
        }
    }

    private async Task RotateAsync(ApiKeyDto key)
    {
        var parameters = new DialogParameters<RotateKeyDialog> { { d => d.Key, key } };
        var dialog = await Dialogs.ShowAsync<RotateKeyDialog>($"Rotate {key.DisplayPrefix}", parameters, DialogSizes.Small);
        if (await dialog.Result is { Canceled: false, Data: CreatedApiKeyDto created })
        {
            await ShowSecretAsync(created, "The replacement key");
            await _grid!.ReloadServerData();
        }
    }

    private async Task EditNetworksAsync(ApiKeyDto key)
    {
        var parameters = new DialogParameters<KeyNetworksDialog> { { d => d.Key, key } };
        var dialog = await Dialogs.ShowAsync<KeyNetworksDialog>($"Networks of {key.DisplayPrefix}", parameters, DialogSizes.Small);
        if (await dialog.Result is { Canceled: false, Data: ApiKeyDto })
        {
            Snackbar.Add($"Networks of {key.DisplayPrefix} saved: the proxies apply them with the next snapshot.", Severity.Success);
            await _grid!.ReloadServerData();
        }
    }

    private async Task ShowSecretAsync(CreatedApiKeyDto created, string title)
    {
        var parameters = new DialogParameters<KeySecretDialog> { { d => d.Created, created } };
        var options = DialogSizes.Medium with { BackdropClick = false };
        var dialog = await Dialogs.ShowAsync<KeySecretDialog>(title, parameters, options);
        await dialog.Result;
    }

    private async Task RevokeAsync(ApiKeyDto key)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Revoke this key?",
            $"{key.DisplayPrefix} ({key.Application}, team {key.TeamId}) stops working at every proxy within seconds. This cannot be undone.",
            yesText: "Revoke", cancelText: "Keep it");
        if (confirmed != true) return;
        try
        {
            await Api.RevokeAsync(key.KeyId, CancellationToken.None);
            Snackbar.Add($"{key.DisplayPrefix} revoked.", Severity.Success);
            await _grid!.ReloadServerData();
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            Snackbar.Add(Failures.MessageOf(ex), Severity.Error);
        }
    }

    private sealed record TeamChoice(string Id, string Name);
}
