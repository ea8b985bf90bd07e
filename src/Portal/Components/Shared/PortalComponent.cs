using Gateway.Contracts.Admin;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Gateway.Portal.Components.Shared;

/// <summary>
/// Base of the Portal's pages. A data grid with server data re-renders itself, not its page, so a
/// page whose error alert sits outside the grid re-renders when that error comes or goes.
/// </summary>
public abstract class PortalComponent : ComponentBase
{
    /// <summary>The last failure to load the page's data (shown by its <c>ApiErrorAlert</c>); a successful grid load clears it.</summary>
    protected Exception? LoadError { get; set; }

    /// <summary>
    /// One page of a server-side grid from the API: an expected API failure becomes
    /// <see cref="LoadError"/> and an empty page, never an exception in the grid.
    /// </summary>
    protected async Task<GridData<T>> LoadGridAsync<T>(Func<Task<PagedResult<T>>> fetch)
    {
        try
        {
            var page = await fetch();
            if (LoadError is not null)
            {
                LoadError = null;
                StateHasChanged();
            }
            return GridQuery.Data(page);
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            LoadError = ex;
            StateHasChanged();
            return GridQuery.Empty<T>();
        }
    }
}
