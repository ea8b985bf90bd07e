using Gateway.Contracts.ContentGuard;
using Gateway.Contracts.Snapshot;

namespace Gateway.Portal.Components.Pages.Admin;

/// <summary>
/// What a guard as edited would do with a sample text (<see cref="ContentGuardForm.Try"/>): a problem
/// to fix first, or what the proxies' own detectors find in it (<see cref="ContentScanner.Try"/>).
/// </summary>
public sealed record GuardTryout(GuardAction Action, GuardTrial? Trial, string? Problem)
{
    public bool Found => Problem is null && Trial is { Total: > 0 };

    /// <summary>One line: the problem, nothing found, or what was found and what the proxies would do (never the text found).</summary>
    public string Headline => Problem
        ?? (Trial is not { Total: > 0 } trial ? "Nothing found: the request would be sent as it is."
            : Action == GuardAction.Block ? $"Blocked: {trial.Summary} — the request would be refused with 400 content_policy_violation."
            : $"Redacted: {trial.Summary} — the request would be sent as below.");

    /// <summary>The sample as redaction would leave it; null unless the guard redacts and found something.</summary>
    public string? Redacted => Found && Action == GuardAction.Redact ? Trial!.Redacted : null;
}
