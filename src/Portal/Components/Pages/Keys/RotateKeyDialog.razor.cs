using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Keys;

public partial class RotateKeyDialog
{
    private readonly FieldErrors _errors = new();
    private DateTime? _expires;
    private int _overlapMinutes = 60;
    private Exception? _error;
    private bool _saving;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public ApiKeyDto Key { get; set; } = default!;

    [Inject]
    private KeysApi Keys { get; set; } = default!;

    [Inject]
    private IOptions<PortalOptions> Options { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override void OnInitialized() => _expires = Time.GetUtcNow().UtcDateTime.Date.AddDays(Options.Value.DefaultKeyLifetimeDays);

    private async Task RotateAsync()
    {
        _saving = true;
        _errors.Clear();
        _error = null;
        try
        {
            DateTimeOffset expires = _expires is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d.Date, DateTimeKind.Utc)) : default;
            Dialog.Close(DialogResult.Ok(await Keys.RotateAsync(Key.KeyId, new RotateApiKeyRequest(expires, _overlapMinutes), CancellationToken.None)));
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
