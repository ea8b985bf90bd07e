using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Api;
using Microsoft.AspNetCore.Components;

namespace Gateway.Portal.Components.Pages.Admin;

public partial class ProviderDialog
{
    private string? _id, _baseUrl, _credentialRef, _apiVersion;
    private ProviderKind _kind = ProviderKind.OpenAI;
    private int _connect = 10, _firstByte = 300, _idle = 120;

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

    private Task SaveProviderAsync() => SaveAsync(() =>
    {
        var credential = string.IsNullOrWhiteSpace(_credentialRef) ? null : _credentialRef.Trim();
        var version = string.IsNullOrWhiteSpace(_apiVersion) ? null : _apiVersion.Trim();
        return Provider is null
            ? Api.CreateAsync(new CreateProviderRequest(_id ?? "", _kind, _baseUrl ?? "", credential, version, _connect, _firstByte, _idle), CancellationToken.None)
            : Api.UpdateAsync(Provider.Id, new UpdateProviderRequest(_kind, _baseUrl ?? "", credential, version, _connect, _firstByte, _idle, Provider.ConcurrencyStamp), CancellationToken.None);
    });
}
