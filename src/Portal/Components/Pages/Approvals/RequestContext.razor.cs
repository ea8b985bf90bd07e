using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Approvals;

public partial class RequestContext
{
    private IReadOnlyList<SubscriptionDto> _subscriptions = [];
    private ModelVersionDto? _version;
    private Exception? _error;
    private bool _loading = true;

    [Parameter, EditorRequired]
    public AccessRequestDto Request { get; set; } = default!;

    [Inject]
    private SubscriptionsApi Subscriptions { get; set; } = default!;

    [Inject]
    private CatalogApi Catalog { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _subscriptions = (await Subscriptions.ListAsync(new SubscriptionQuery { TeamId = Request.TeamId, Status = "active" }, CancellationToken.None)).Items;
            var model = await Catalog.GetAsync(Request.ModelAlias, CancellationToken.None);
            _version = model.Versions.FirstOrDefault(v => v.Name == model.DefaultVersion);
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _error = ex;
        }
        finally
        {
            _loading = false;
        }
    }
}
