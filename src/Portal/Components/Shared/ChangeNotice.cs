using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using MudBlazor;

namespace Gateway.Portal.Components.Shared;

/// <summary>
/// Tells a platform admin what became of a catalog, provider or role change: applied, or (change
/// control) sent to a second platform admin, which is not an error and changes nothing yet.
/// </summary>
internal static class ChangeNotice
{
    public static string SentForApproval(ChangeDto change) =>
        $"Sent for a second admin's approval ({change.Id}). Nothing changes until another platform admin approves it under Changes.";

    /// <param name="outcome">What the save answered: a <see cref="ChangeOutcome"/> (a dialog's result data), or anything else for "applied".</param>
    /// <param name="applied">The message when the change was applied at once.</param>
    public static void AddOutcome(this ISnackbar snackbar, object? outcome, string applied)
    {
        if (outcome is ChangeOutcome { Held: { } change }) snackbar.Add(SentForApproval(change), Severity.Info);
        else snackbar.Add(applied, Severity.Success);
    }
}
