using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Contracts.Admin;

/// <summary>
/// The body of a webhook delivery (<c>ControlPlane:Notifications:Webhooks</c>): one audit event,
/// without the records before and after it (a chat channel or a ticket system is not the place for
/// them; the admin API has them). <paramref name="Sequence"/> is the audit sequence: deliveries are
/// at least once and in order, so a receiver drops a sequence it has seen. <paramref name="Link"/> is the
/// portal page where the event is acted on (an access request in the approvers' queue), when the
/// control plane knows the portal's address. <paramref name="TeamId"/> is the team the event concerns
/// (an access request's, a key's, a team itself), for routing to that team's channel; null for
/// the platform's own (the catalog, providers, roles).
/// </summary>
public sealed record WebhookEvent(
    string Webhook, long Sequence, DateTimeOffset Time, string Action, string Actor, string ActorName, string TargetType, string TargetId,
    string? Link = null, string? TeamId = null);

/// <summary>
/// How a delivery is signed, for the receiver to check: <c>X-Gateway-Signature: sha256=HEX</c>, the
/// HMAC-SHA256 under the webhook's secret of <c>{X-Gateway-Timestamp}.{body}</c> (the timestamp in
/// Unix seconds, so a captured delivery cannot be replayed later).
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Gateway-Signature";
    public const string TimestampHeader = "X-Gateway-Timestamp";
    public const string EventHeader = "X-Gateway-Event";
    public const string DeliveryHeader = "X-Gateway-Delivery";

    /// <summary>The <c>X-Gateway-Signature</c> value of <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, signed));
    }

    /// <summary>Whether a delivery is signed with <paramref name="secret"/> and was sent within <paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp) || signatureHeader is null) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signatureHeader));
    }
}

/// <summary>
/// A configured webhook and where it is (<c>GET /api/webhooks</c>, platform admins): its host only
/// (an incoming-webhook URL holds a token), whether deliveries are signed, its filter, the last
/// sequence delivered or passed over, how many audit events are after it, and its failures.
/// </summary>
public sealed record WebhookStatusDto(
    string Name, string Host, bool Signed, IReadOnlyList<string> Actions, long Sequence, long Behind,
    DateTimeOffset? LastDeliveredAt, int Failures, DateTimeOffset? NextAttemptAt, string? LastError);

/// <summary>
/// What <c>POST /api/webhooks/{name}/test</c> got: a <c>webhook.test</c> event (sequence 0: not from
/// the audit log, so receivers need not keep it) sent to the webhook at once, and whether it took it.
/// </summary>
public sealed record WebhookTestDto(string Name, bool Delivered, string? Error);
