using Microsoft.AspNetCore.Components;

namespace Gateway.Portal.Components.Shared;

/// <summary>
/// Base of the Portal's pages. A data grid with server data re-renders itself, not its page, so a
/// page whose error alert sits outside the grid re-renders when that error comes or goes.
/// </summary>
public abstract class PortalComponent : ComponentBase
{
    protected void ClearError(ref Exception? error)
    {
        if (error is null) return;
        error = null;
        StateHasChanged();
    }
}
