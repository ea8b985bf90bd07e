using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Usage;

public partial class TeamUsage
{
    private IReadOnlyList<(string Id, string Name)> _teams = [];
    private IReadOnlyList<SubscriptionDto> _subscriptions = [];
    private IReadOnlyList<UsageSummaryRow> _byVersion = [];
    private string? _teamId;
    private bool _loading = true;
    private Exception? _error;

    [Inject]
    private MeApi Me { get; set; } = default!;

    [Inject]
    private TeamsApi Teams { get; set; } = default!;

    [Inject]
    private SubscriptionsApi Subscriptions { get; set; } = default!;

    [Inject]
    private UsageApi Usage { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            var me = await Me.GetAsync(CancellationToken.None);
            _teams = (await AuthenticationState).User.IsInRole(GatewayRoles.PlatformAdmin) && me.Teams.Count == 0
                ? [.. (await Teams.ListAsync(new TeamQuery { PageSize = Paging.MaxPageSize, Sort = "id" }, CancellationToken.None)).Items.Select(t => (t.Id, t.Name))]
                : [.. me.Teams.Select(t => (t.TeamId, t.TeamName))];
            _teamId = _teams.Count > 0 ? _teams[0].Id : null;
            await LoadTeamAsync();
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _error = ex;
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task TeamChanged(string value)
    {
        _teamId = value;
        _error = null;
        try
        {
            await LoadTeamAsync();
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _error = ex;
        }
    }

    private async Task LoadTeamAsync()
    {
        if (_teamId is null) return;
        var now = Time.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var subscriptions = Subscriptions.ListAsync(new SubscriptionQuery { TeamId = _teamId, Status = "active", PageSize = Paging.MaxPageSize, Sort = "modelAlias" }, CancellationToken.None);
        var byVersion = Usage.SummaryAllAsync(new UsageSummaryQuery { GroupBy = "modelVersion", TeamId = _teamId, From = monthStart, To = monthStart.AddMonths(1), Sort = "cost", Order = "desc" }, CancellationToken.None);
        _subscriptions = (await subscriptions).Items;
        _byVersion = await byVersion;
    }

    private async Task RequestIncreaseAsync(SubscriptionDto subscription)
    {
        var parameters = new DialogParameters<BudgetIncreaseDialog> { { d => d.Subscription, subscription } };
        var dialog = await Dialogs.ShowAsync<BudgetIncreaseDialog>($"More budget for {subscription.ModelAlias}", parameters, DialogSizes.Small);
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add("Budget increase requested; an approver will decide.", Severity.Success);
        }
    }
}
