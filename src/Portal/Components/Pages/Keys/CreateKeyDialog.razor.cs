using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Keys;

public partial class CreateKeyDialog
{
    private readonly FieldErrors _errors = new();
    private readonly NetworksInput _networks;
    private IReadOnlyList<SubscriptionDto> _subscriptions = [];
    private IReadOnlyCollection<string> _selected = [];
    private string? _application;
    private DateTime? _expires;
    private DateTime _tomorrow;
    private Exception? _error;
    private bool _saving;

    public CreateKeyDialog() => _networks = new(_errors);

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public string TeamId { get; set; } = "";

    [Inject]
    private KeysApi Keys { get; set; } = default!;

    [Inject]
    private SubscriptionsApi Subscriptions { get; set; } = default!;

    [Inject]
    private IOptions<PortalOptions> Options { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var today = Time.GetUtcNow().UtcDateTime.Date;
        _tomorrow = today.AddDays(1);
        _expires = today.AddDays(Options.Value.DefaultKeyLifetimeDays);
        try
        {
            _subscriptions = (await Subscriptions.ListAsync(
                new SubscriptionQuery { TeamId = TeamId, Status = "active", PageSize = Paging.MaxPageSize, Sort = "modelAlias" }, CancellationToken.None)).Items;
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _error = ex;
        }
    }

    private async Task CreateAsync()
    {
        _error = null;
        _errors.Clear();
        if (!_networks.TryTake(out var networks)) return;
        _saving = true;
        try
        {
            DateTimeOffset expires = _expires is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d.Date, DateTimeKind.Utc)) : default;
            var chosen = _selected.ToList();
            var created = await Keys.CreateAsync(
                new CreateApiKeyRequest(TeamId, _application?.Trim() ?? "", expires, chosen.Count == 0 ? null : chosen,
                    AllowedNetworks: networks), CancellationToken.None);
            Dialog.Close(DialogResult.Ok(created));
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
