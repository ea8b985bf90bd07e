using Gateway.Contracts.Admin;

namespace Gateway.Portal.Api;

/// <summary>
/// What a catalog, provider or role change answered: applied at once, or (with the control plane's
/// change control on) held for a second platform admin: 202 Accepted with the pending
/// <see cref="Held"/> change. Not a failure, so not an <see cref="ApiException"/>.
/// </summary>
internal record ChangeOutcome(ChangeDto? Held)
{
    /// <summary>Applied at once (a DELETE, or any call whose record the caller does not need).</summary>
    public static readonly ChangeOutcome Applied = new((ChangeDto?)null);
}

/// <summary>A <see cref="ChangeOutcome"/> with the record the API answered when it applied the change.</summary>
internal sealed record ChangeOutcome<T>(T? Value, ChangeDto? Held) : ChangeOutcome(Held);
