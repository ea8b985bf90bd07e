using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Admin;

public partial class ProviderDialog
{
    private readonly FieldErrors _errors = new();
    private string? _id, _baseUrl, _credentialRef, _apiVersion;
    private ProviderKind _kind = ProviderKind.OpenAI;
    private int _connect = 10, _firstByte = 300, _idle = 120;
    private Exception? _error;
    private bool _saving;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter]
    public ProviderDto? Provider { get; set; }

    [Inject]
    private ProvidersApi Api { get; set; } = default!;

    protected override void OnInitialized()
    {
        if (Provider is not { } p) return;
        (_id, _kind, _baseUrl, _credentialRef, _apiVersion) = (p.Id, p.Kind, p.BaseUrl, p.CredentialRef, p.ApiVersion);
        (_connect, _firstByte, _idle) = (p.ConnectTimeoutSeconds, p.FirstByteTimeoutSeconds, p.StreamIdleTimeoutSeconds);
    }

    private async Task SaveAsync()
    {
        _saving = true;
        _errors.Clear();
        _error = null;
        try
        {
            var credential = string.IsNullOrWhiteSpace(_credentialRef) ? null : _credentialRef.Trim();
            var version = string.IsNullOrWhiteSpace(_apiVersion) ? null : _apiVersion.Trim();
            ProviderDto saved = Provider is null
                ? await Api.CreateAsync(new CreateProviderRequest(_id ?? "", _kind, _baseUrl ?? "", credential, version, _connect, _firstByte, _idle), CancellationToken.None)
                : await Api.UpdateAsync(Provider.Id, new UpdateProviderRequest(_kind, _baseUrl ?? "", credential, version, _connect, _firstByte, _idle, Provider.ConcurrencyStamp), CancellationToken.None);
            Dialog.Close(DialogResult.Ok(saved));
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
