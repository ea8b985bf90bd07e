using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Usage;

public partial class BudgetIncreaseDialog
{
    private readonly FieldErrors _errors = new();
    private long? _tokens;
    private string? _justification;
    private Exception? _error;
    private bool _saving;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public SubscriptionDto Subscription { get; set; } = default!;

    [Inject]
    private SubscriptionsApi Api { get; set; } = default!;

    protected override void OnInitialized() => _tokens = Subscription.Budget?.MonthlyTokens * 2;

    private async Task SendAsync()
    {
        _saving = true;
        _errors.Clear();
        _error = null;
        try
        {
            var budget = new BudgetSpec(_tokens, Subscription.Budget?.MonthlyAmount, Subscription.Budget?.Currency);
            Dialog.Close(DialogResult.Ok(await Api.RequestBudgetAsync(Subscription.Id, new CreateBudgetIncreaseRequest(_justification ?? "", budget), CancellationToken.None)));
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _errors.Set(ex);
            _error = ex is ApiException { IsValidation: true } ? null : ex;
        }
        finally
        {
            _saving = false;
        }
    }
}
