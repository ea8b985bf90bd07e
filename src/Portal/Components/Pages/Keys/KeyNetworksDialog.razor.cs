using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Keys;

/// <summary>Changes the networks a key may be used from; closes with the updated <see cref="ApiKeyDto"/>.</summary>
public partial class KeyNetworksDialog
{
    private readonly FieldErrors _errors = new();
    private NetworksInput _networks = default!;
    private Exception? _error;
    private bool _saving;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public ApiKeyDto Key { get; set; } = default!;

    [Inject]
    private KeysApi Keys { get; set; } = default!;

    protected override void OnInitialized() => _networks = new(_errors, Key.AllowedNetworks);

    private async Task SaveAsync()
    {
        _error = null;
        _errors.Clear();
        if (!_networks.TryTake(out var networks)) return;
        _saving = true;
        try
        {
            Dialog.Close(DialogResult.Ok(await Keys.SetNetworksAsync(Key.KeyId, networks, CancellationToken.None)));
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
