using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Approvals;

public partial class RejectDialog
{
    private readonly FieldErrors _errors = new();
    private string? _reason;
    private Exception? _error;
    private bool _saving;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public AccessRequestDto Request { get; set; } = default!;

    [Inject]
    private AccessRequestsApi Api { get; set; } = default!;

    private async Task RejectAsync()
    {
        _saving = true;
        _errors.Clear();
        _error = null;
        try
        {
            Dialog.Close(DialogResult.Ok(await Api.RejectAsync(Request.Id, new RejectAccessRequest(_reason ?? "", Request.ConcurrencyStamp), CancellationToken.None)));
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
