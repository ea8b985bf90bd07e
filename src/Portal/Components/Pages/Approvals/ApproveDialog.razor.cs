using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Approvals;

public partial class ApproveDialog
{
    private readonly FieldErrors _errors = new();
    private ApprovalForm _form = new();
    private IReadOnlyList<string> _versions = [];
    private IReadOnlyList<string> _screening = [];
    private Exception? _error;
    private bool _saving;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public AccessRequestDto Request { get; set; } = default!;

    [Inject]
    private AccessRequestsApi Api { get; set; } = default!;

    [Inject]
    private CatalogApi Catalog { get; set; } = default!;

    [Inject]
    private IOptions<PortalOptions> Options { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _form = ApprovalForm.Prefill(Request, Options.Value.ApprovalDefaults, Time.GetUtcNow());
        if (Request.Kind != AccessRequestKind.Access) return;
        try
        {
            var model = await Catalog.GetAsync(Request.ModelAlias, CancellationToken.None);
            var live = model.Versions.Where(v => v.Status != VersionStatus.Retired).ToList();
            _versions = [.. live.Select(v => v.Name)];
            // Every live version, pinned or not: a request naming a version exactly reaches it past the pin.
            _screening = [.. live.Select(v => GuardText.Screening(v.Name, v.ContentGuard)).OfType<string>()];
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            // Pinning is optional; without the catalog the approver simply cannot pin (nor read the versions' screening).
            _versions = [];
        }
    }

    private void Cancel() => Dialog.Cancel();

    private async Task ApproveAsync()
    {
        _saving = true;
        _error = null;
        _errors.Clear();
        try
        {
            var approved = await Api.ApproveAsync(Request.Id, _form.ToRequest(Request.ConcurrencyStamp), CancellationToken.None);
            Dialog.Close(DialogResult.Ok(approved));
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
