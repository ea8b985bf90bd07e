using Gateway.Contracts.Snapshot;

namespace Gateway.ControlPlane.Features.Notifications;

/// <summary>
/// Section <c>ControlPlane:Notifications</c>: webhooks that get the audit log's events as they are
/// written (an access request waiting for an approver, a change waiting for a second admin, a key
/// revoked), so that people hear of them in the bank's chat, ticket or alerting tools.
/// </summary>
internal sealed class NotificationsOptions
{
    public List<WebhookOptions> Webhooks { get; set; } = [];

    /// <summary>The portal's address (<c>https://ai-portal.bank.internal</c>): each delivery links to the page where its event is acted on. None: no links.</summary>
    public string? PortalUrl { get; set; }

    /// <summary>How often each webhook looks for new events, in milliseconds.</summary>
    public int PollMilliseconds { get; set; } = 2000;

    /// <summary>The longest wait between two attempts at an event that failed (the back-off doubles from 1 s up to this).</summary>
    public int MaxRetrySeconds { get; set; } = 300;

    /// <summary>How long one delivery may take.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    public IEnumerable<string> Problems()
    {
        const string Path = "ControlPlane:Notifications";
        if (PollMilliseconds is < 50 or > 3_600_000) yield return $"{Path}:PollMilliseconds must be between 50 and 3600000";
        if (MaxRetrySeconds is < 1 or > 86_400) yield return $"{Path}:MaxRetrySeconds must be between 1 and 86400";
        if (TimeoutSeconds is < 1 or > 300) yield return $"{Path}:TimeoutSeconds must be between 1 and 300";
        if (PortalUrl is not null && !HostAllowList.IsHttpUrl(PortalUrl))
            yield return $"{Path}:PortalUrl must be an absolute http or https URL";
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Webhooks.Count; i++)
        {
            var w = Webhooks[i];
            var at = $"{Path}:Webhooks:{i}";
            if (string.IsNullOrEmpty(w.Name) || w.Name.Length > 64 || w.Name.AsSpan().IndexOfAnyExcept(NameChars) >= 0)
                yield return $"{at}:Name must be 1 to 64 letters, digits, '-', '_' or '.'";
            else if (!names.Add(w.Name)) yield return $"{at}:Name '{w.Name}' is used twice";
            if (!HostAllowList.IsHttpUrl(w.Url))
                yield return $"{at}:Url must be an absolute http or https URL";
            if (w.SecretRef is { } secret && !SnapshotValidator.IsCredentialRef(secret))
                yield return $"{at}:SecretRef must be 'env:NAME' or 'file:/absolute/path' (a reference, never the secret)";
            foreach (var action in w.Actions)
            {
                if (string.IsNullOrWhiteSpace(action)) yield return $"{at}:Actions must not hold an empty entry";
            }
            foreach (var team in w.Teams)
            {
                if (string.IsNullOrWhiteSpace(team)) yield return $"{at}:Teams must not hold an empty entry";
            }
        }
    }

    private static readonly System.Buffers.SearchValues<char> NameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
}

/// <summary>The team an audit event concerns: a team's own events, or the <c>teamId</c> of the record after (or before) the change.</summary>
internal static class EventTeams
{
    public static string? Of(string targetType, string targetId, string? after, string? before)
    {
        if (targetType == "team") return targetId;
        foreach (var record in (ReadOnlySpan<string?>)[after, before])
        {
            if (record is null) continue;
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(record);
                if (json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                    && json.RootElement.TryGetProperty("teamId", out var team) && team.ValueKind == System.Text.Json.JsonValueKind.String)
                    return team.GetString();
            }
            catch (System.Text.Json.JsonException)
            {
                // The audit log holds JSON; a record that is not is nobody's team.
            }
        }
        return null;
    }
}

/// <summary>The portal page where an audit event is acted on, for a delivery's link.</summary>
internal static class PortalLinks
{
    public static string PathOf(string action) => action switch
    {
        "accessRequest.create" => "/approvals",                     // waiting for an approver
        _ when action.StartsWith("accessRequest.", StringComparison.Ordinal) => "/requests",
        _ when action.StartsWith("change.", StringComparison.Ordinal) => "/admin/changes",
        _ when action.StartsWith("apiKey.", StringComparison.Ordinal) => "/keys",
        _ when action.StartsWith("model.", StringComparison.Ordinal) => "/admin/models",
        _ when action.StartsWith("provider.", StringComparison.Ordinal) => "/admin/providers",
        _ when action.StartsWith("team.", StringComparison.Ordinal) => "/admin/teams",
        _ when action.StartsWith("user.", StringComparison.Ordinal) => "/admin/users",
        _ when action.StartsWith("statement.", StringComparison.Ordinal) => "/finance/statements",
        _ when action.StartsWith("webhook.", StringComparison.Ordinal) => "/admin/webhooks",
        _ => "/admin/audit",
    };

    /// <summary>The absolute link, or null without a portal address (a portal under a path keeps it).</summary>
    public static string? For(string? portalUrl, string action) =>
        portalUrl is null ? null : new Uri(new Uri(portalUrl.TrimEnd('/') + "/"), PathOf(action).TrimStart('/')).ToString();
}

/// <summary>One webhook: where its events go, how they are signed, which it gets.</summary>
internal sealed class WebhookOptions
{
    /// <summary>Names the webhook in logs, metrics and its cursor (never the URL, which may hold a token).</summary>
    public string Name { get; set; } = "";

    /// <summary>Where deliveries are POSTed. A URL that holds a token (chat incoming webhooks do) belongs in the environment, not in a file.</summary>
    public string Url { get; set; } = "";

    /// <summary>The HMAC secret as <c>env:NAME</c> or <c>file:/path</c>; without it deliveries are not signed.</summary>
    public string? SecretRef { get; set; }

    /// <summary>The audit actions it gets: exact (<c>accessRequest.create</c>) or a prefix ending in '.' (<c>change.</c>); none: every action.</summary>
    public List<string> Actions { get; set; } = [];

    /// <summary>Only the events of these teams (a team's own channel); none: every event, the platform's own included.</summary>
    public List<string> Teams { get; set; } = [];

    /// <summary>Whether it gets an event of <paramref name="action"/> concerning <paramref name="teamId"/> (null: no team).</summary>
    public bool Wants(string action, string? teamId) =>
        Wants(action) && (Teams.Count == 0 || (teamId is not null && Teams.Contains(teamId, StringComparer.Ordinal)));

    public bool Wants(string action)
    {
        if (Actions.Count == 0) return true;
        foreach (var a in Actions)
        {
            if (a.EndsWith('.') ? action.StartsWith(a, StringComparison.Ordinal) : action == a) return true;
        }
        return false;
    }
}
