using Gateway.Contracts.Admin;

namespace Gateway.Portal.Components.Pages.Admin;

/// <summary>
/// The one place the Portal builds a version's PUT. The PUT replaces every field (a request without
/// <c>contentGuard</c> removes the guard), so a dialog starts from the version as it is and changes
/// only what it edits: <c>VersionUpdate.AsIs(v) with { Status = … }</c>.
/// </summary>
internal static class VersionUpdate
{
    public static UpdateVersionRequest AsIs(ModelVersionDto version) => new(
        version.Status, version.MaxDataClassification, version.DeprecatedAt, version.SunsetAt, version.Successor,
        version.MaxOutputTokens, version.ContextWindow, version.ConcurrencyStamp, version.ContentGuard);
}
