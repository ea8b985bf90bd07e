using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Finance;

public partial class AdjustmentDialog
{
    private readonly FieldErrors _errors = new();
    private string? _costCentre;
    private decimal _amount;
    private string _currency = "USD";
    private string? _reason;
    private string? _correctsPeriod;
    private Exception? _error;
    private bool _saving;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public string Period { get; set; } = "";

    [Parameter]
    public StatementDto? Statement { get; set; }

    [Inject]
    private StatementsApi Api { get; set; } = default!;

    protected override void OnInitialized() => _currency = Statement?.Totals.FirstOrDefault()?.Currency ?? "USD";

    private async Task SaveAsync()
    {
        _saving = true;
        _errors.Clear();
        _error = null;
        try
        {
            var request = new CreateAdjustmentRequest(_costCentre ?? "", _amount, _currency, _reason ?? "", string.IsNullOrWhiteSpace(_correctsPeriod) ? null : _correctsPeriod.Trim());
            Dialog.Close(DialogResult.Ok(await Api.AdjustAsync(Period, request, CancellationToken.None)));
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
