namespace Gateway.Contracts.Admin;

/// <summary>One audit event; <c>Before</c>/<c>After</c> are JSON documents (null for creations/deletions).</summary>
public sealed record AuditEventDto(
    long Sequence, DateTimeOffset Time, string Actor, string ActorName, string Action, string TargetType, string TargetId,
    string? Before, string? After, string PreviousHash, string Hash);

/// <summary>Result of walking the audit hash chain; names the first broken link.</summary>
public sealed record AuditVerificationDto(bool Valid, long EventsChecked, long? FirstBrokenSequence, string? Reason);

/// <summary>
/// Query of <c>GET /api/audit</c> and <c>GET /api/audit/export</c>. Sort: sequence, time, actor, action.
/// </summary>
public sealed class AuditQuery
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Sort { get; set; }
    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; set; }
    public string? Actor { get; set; }

    /// <summary>Exact action, or a prefix ending in '.' (e.g. <c>apiKey.</c>).</summary>
    public string? Action { get; set; }
    public string? TargetType { get; set; }
    public string? TargetId { get; set; }
    public DateTimeOffset? From { get; set; }
    public DateTimeOffset? To { get; set; }

    /// <summary>Export only: <c>ndjson</c> (default) or <c>csv</c>.</summary>
    public string? Format { get; set; }
}

/// <summary>
/// Query of <c>GET /api/audit/verify</c>: optionally a head kept elsewhere (both or neither), which
/// the chain must still hold.
/// </summary>
public sealed class AuditVerifyQuery
{
    /// <summary>The attested head's sequence (0 for the empty chain).</summary>
    public long? Sequence { get; set; }

    /// <summary>The attested head's hash: 64 lowercase hexadecimal characters.</summary>
    public string? Hash { get; set; }
}

/// <summary>
/// The audit chain's head, signed by the control plane (<c>GET /api/audit/head</c>): the last
/// event's sequence and hash, when it was signed, and an ECDSA P-256 / SHA-256 signature (base64)
/// over <see cref="AuditHeadSigning.Payload"/>, made with the snapshot-signing key
/// (<c>GET /snapshot/public-key</c>). Kept outside the database (a SIEM, the control plane's own
/// logs), a head makes a rewrite of the chain before it, or a cut back past it, detectable:
/// <c>GET /api/audit/verify?sequence=…&amp;hash=…</c>.
/// </summary>
public sealed record AuditHeadDto(long Sequence, string Hash, DateTimeOffset SignedAt, string SigningKeyId, string Signature);

/// <summary>What an audit head's signature covers, and how to check one with the control plane's public key.</summary>
public static class AuditHeadSigning
{
    /// <summary>
    /// The signed bytes: the UTF-8 JSON array <c>["gateway.audit-head.v1", sequence, hash, signedAt as UTC ticks]</c>.
    /// The tag keeps an audit head's signature from ever reading as a snapshot's (a snapshot is a JSON object).
    /// </summary>
    public static byte[] Payload(long sequence, string hash, DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue("gateway.audit-head.v1");
            writer.WriteNumberValue(sequence);
            writer.WriteStringValue(hash);
            writer.WriteNumberValue(signedAt.UtcTicks);
            writer.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>True when <paramref name="head"/> was signed by the holder of <paramref name="publicKey"/> and not altered since.</summary>
    public static bool Verify(System.Security.Cryptography.ECDsa publicKey, AuditHeadDto head)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(head);
        Span<byte> signature = stackalloc byte[128];
        if (!Convert.TryFromBase64String(head.Signature, signature, out var length)) return false;
        return Snapshot.SnapshotSigning.Verify(publicKey, Payload(head.Sequence, head.Hash, head.SignedAt), signature[..length]);
    }
}
