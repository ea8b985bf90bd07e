using Gateway.Portal.Api;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Shared;

/// <summary>
/// Base of the Portal's edit dialogs: runs the save, closes with its result, or keeps the dialog
/// open with the API's field errors next to the fields and any other error above the buttons.
/// </summary>
public abstract class FormDialog : PortalComponent
{
    [CascadingParameter]
    protected IMudDialogInstance Dialog { get; set; } = default!;

    protected FieldErrors FieldErrors { get; } = new();

    protected Exception? Error { get; private set; }

    protected bool Saving { get; private set; }

    protected void Cancel() => Dialog.Cancel();

    protected async Task SaveAsync<T>(Func<Task<T>> save)
    {
        Saving = true;
        Error = null;
        FieldErrors.Clear();
        try
        {
            Dialog.Close(DialogResult.Ok(await save()));
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            FieldErrors.Set(ex);
            Error = ex is ApiException { IsValidation: true } ? null : ex;
        }
        finally
        {
            Saving = false;
        }
    }
}
