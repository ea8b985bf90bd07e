using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Gateway.Portal.Components.Pages.Admin;

public partial class RolesDialog
{
    private HashSet<string> _roles = [];
    private bool _self;

    [Parameter, EditorRequired]
    public UserDto User { get; set; } = default!;

    [Inject]
    private TeamsApi Api { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _roles = [.. User.Roles];
        if (AuthenticationState is not null)
            _self = (await AuthenticationState).User.FindFirst(Auth.PortalClaims.Subject)?.Value == User.Id;
    }

    /// <summary>On one's own account: a role one lacks cannot be taken, and PlatformAdmin cannot be given up (the control plane refuses both).</summary>
    private bool Locked(string role) => _self && (!User.Roles.Contains(role) || role == GatewayRoles.PlatformAdmin);

    private void Toggle(string role, bool on)
    {
        if (on) _roles.Add(role);
        else _roles.Remove(role);
    }

    private Task SaveRolesAsync() => SaveAsync(() => Api.SetRolesAsync(User.Id, new SetUserRolesRequest([.. _roles.Order(StringComparer.Ordinal)]), CancellationToken.None));
}
