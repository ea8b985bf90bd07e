using System.Globalization;
using Gateway.Contracts.Grpc;
using Gateway.Contracts.Usage;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.Audit;
using Gateway.ControlPlane.Infrastructure;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.Usage;

/// <summary>What one shipped batch did to the ledger.</summary>
internal sealed record IngestResult(int Inserted, int Duplicates, int Rejected);

/// <summary>
/// Writes shipped usage into the ledger exactly once: under the billing lock, a record whose
/// request id the ledger (or an earlier record of the batch) already holds for the same request is
/// a duplicate; the rest are inserted with their hourly rollups in the same transaction. Malformed
/// records are quarantined with their reason, never dropped silently. The caller acknowledges only
/// after this returns (committed).
/// <para>
/// A request id is not always the proxy's own: the proxy adopts a caller's sane <c>x-request-id</c>,
/// and a caller may send the same one twice. A record is the same request as the one holding its
/// id only when it was served by the same node, for the same key, arriving at the same microsecond
/// (a batch shipped again after a lost acknowledgement); another request that reused the id is
/// charged too, under a derived id (<see cref="DerivedId"/>: the caller's id, <c>~</c>, 16 hex
/// digits of a hash of the request's identity), the same on every shipment, so it stays exactly once.
/// </para>
/// </summary>
internal sealed class UsageLedger(GatewayDbContext db, TimeProvider time)
{
    private const int Chunk = 500;

    /// <summary>
    /// The most tokens a record may count (2⁴⁰, about a trillion: no request comes near; the proxy
    /// does not take a provider's report above it either), so that no sum of them in a rollup or a
    /// report can overflow.
    /// </summary>
    private const long MaxTokens = 1L << 40;

    public async Task<IngestResult> IngestAsync(UsageBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        try
        {
            return await IngestWithRetryAsync(batch, cancellationToken);
        }
        catch (DbUpdateException) when (batch.Records.Count > 1)
        {
            // The database refused the batch as a whole, for a value no check above foresaw (on SQLite, an
            // hour's rollup past what its integers hold). Unacknowledged, the proxy would ship it again for
            // ever and every later batch would wait behind it: one record at a time instead, so that only
            // the record the database cannot hold is quarantined.
            db.ChangeTracker.Clear();
            return await IngestOneByOneAsync(batch, cancellationToken);
        }
    }

    private async Task<IngestResult> IngestOneByOneAsync(UsageBatch batch, CancellationToken cancellationToken)
    {
        int inserted = 0, duplicates = 0, rejected = 0;
        foreach (var message in batch.Records)
        {
            var single = new UsageBatch { BatchId = batch.BatchId, NodeId = batch.NodeId };
            single.Records.Add(message);
            try
            {
                var result = await IngestWithRetryAsync(single, cancellationToken);
                (inserted, duplicates, rejected) = (inserted + result.Inserted, duplicates + result.Duplicates, rejected + result.Rejected);
            }
            catch (DbUpdateException e)
            {
                db.ChangeTracker.Clear();
                var reason = PlainText.Printable($"the database could not store it: {e.InnerException?.Message ?? e.Message}", 1000);
                Quarantine(batch, message, reason, AuditChain.Truncate(time.GetUtcNow()));
                await db.SaveChangesAsync(cancellationToken);
                rejected++;
            }
        }
        return new IngestResult(inserted, duplicates, rejected);
    }

    private async Task<IngestResult> IngestWithRetryAsync(UsageBatch batch, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await IngestOnceAsync(batch, cancellationToken);
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // A concurrent writer inserted one of these request ids first: read again, retry once.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<IngestResult> IngestOnceAsync(UsageBatch batch, CancellationToken cancellationToken)
    {
        var now = AuditChain.Truncate(time.GetUtcNow());
        var valid = new List<UsageRecord>(batch.Records.Count);
        var duplicates = 0;
        var rejected = 0;
        foreach (var message in batch.Records)
        {
            var (record, reason) = Parse(message);
            if (record is null)
            {
                rejected++;
                Quarantine(batch, message, reason!, now);
            }
            else valid.Add(record);
        }

        var change = db.BeginChange(Actor.System, time);
        await change.LockBillingAsync(cancellationToken);
        // Who holds each id: the ledger's entries for the batch's ids, then each record as it is placed.
        var holders = new Dictionary<string, UsageRecordIdentity>(StringComparer.Ordinal);
        foreach (var chunk in valid.Select(r => r.RequestId).Distinct(StringComparer.Ordinal).Chunk(Chunk))
        {
            var held = await db.UsageEntries.AsNoTracking().Where(u => chunk.Contains(u.RequestId))
                .Select(u => new { u.RequestId, u.ProxyNode, u.KeyId, u.Timestamp }).ToListAsync(cancellationToken);
            foreach (var h in held) holders[h.RequestId] = new UsageRecordIdentity(h.RequestId, h.ProxyNode, h.KeyId, UsageRecordIdentity.Microseconds(h.Timestamp));
        }
        var fresh = new List<UsageRecord>(valid.Count);
        foreach (var record in valid)
        {
            var identity = UsageRecordIdentity.Of(record);
            var id = record.RequestId;
            for (var round = 0; ; round++)
            {
                if (round > 0 && !holders.ContainsKey(id) && await HolderAsync(id, cancellationToken) is { } stored) holders[id] = stored;
                var placed = identity with { RequestId = id };
                if (!holders.TryGetValue(id, out var holder))
                {
                    holders[id] = placed;
                    fresh.Add(id == record.RequestId ? record : record with { RequestId = id });
                    break;
                }
                if (holder == placed)
                {
                    duplicates++;
                    break;
                }
                if (round == MaxDerivations)
                {
                    rejected++;
                    Quarantine(batch, record.ToMessage(), $"request_id {record.RequestId} and {MaxDerivations} ids derived from it are held by other requests", now);
                    break;
                }
                id = DerivedId(identity, round);
            }
        }

        if (fresh.Count > 0)
        {
            var teamIds = fresh.Select(r => r.TeamId).Distinct().ToList();
            var costCentres = await db.Teams.Where(t => teamIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.CostCentre, cancellationToken);
            var closed = (await db.ClosedPeriods.Select(p => p.Period).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var entries = fresh.Select(r => ToEntry(r, costCentres.GetValueOrDefault(r.TeamId) ?? "", BillingPeriod(r.Timestamp, closed), now)).ToList();
            db.UsageEntries.AddRange(entries);
            await Rollups.AddAsync(db, entries, cancellationToken);
        }
        await change.CommitAsync(bumpsRevision: false, cancellationToken);
        return new IngestResult(fresh.Count, duplicates, rejected);
    }

    private const int MaxDerivations = 8;

    /// <summary>
    /// The id under which a request that reused its request id is recorded: the id (cut to 111
    /// characters), <c>~</c>, and 16 hex digits of SHA-256 over the request's identity and
    /// <paramref name="round"/> (the next round only when a derived id is itself held by another request).
    /// </summary>
    internal static string DerivedId(UsageRecordIdentity identity, int round)
    {
        var requestId = identity.RequestId;
        var input = string.Create(CultureInfo.InvariantCulture, $"{requestId}\n{identity.ProxyNode}\n{identity.KeyId}\n{identity.ArrivalMicroseconds * TimeSpan.TicksPerMicrosecond}\n{round}");
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(input), hash);
        return string.Concat(requestId.AsSpan(0, Math.Min(requestId.Length, 111)), "~", Convert.ToHexStringLower(hash[..8]));
    }

    private async Task<UsageRecordIdentity?> HolderAsync(string id, CancellationToken cancellationToken)
    {
        var held = await db.UsageEntries.AsNoTracking().Where(u => u.RequestId == id)
            .Select(u => new { u.ProxyNode, u.KeyId, u.Timestamp }).FirstOrDefaultAsync(cancellationToken);
        return held is null ? null : new UsageRecordIdentity(id, held.ProxyNode, held.KeyId, UsageRecordIdentity.Microseconds(held.Timestamp));
    }

    /// <summary>The month a record is charged in: its own, or the first open one after it when its month is closed.</summary>
    internal static string BillingPeriod(DateTimeOffset timestamp, HashSet<string> closed)
    {
        var period = Periods.Of(timestamp);
        while (closed.Contains(period)) period = Periods.Next(period);
        return period;
    }

    private static (UsageRecord? Record, string? Reason) Parse(UsageRecordMessage message)
    {
        UsageRecord r;
        try
        {
            r = message.ToRecord();
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return (null, $"unreadable field: {e.Message}");
        }
        string? reason = null;
        if (HasControlCharacters(r.RequestId, r.ProxyNode, r.KeyId, r.TeamId, r.SubscriptionId, r.ModelAlias, r.ModelVersion, r.DeploymentId, r.ProviderId, r.Operation, r.Outcome, r.Currency))
            reason = "text fields may not contain control characters";
        else if (string.IsNullOrWhiteSpace(r.RequestId) || r.RequestId.Length > 128) reason = "request_id must be 1-128 characters";
        else if (string.IsNullOrWhiteSpace(r.KeyId) || r.KeyId.Length > 64) reason = "key_id must be 1-64 characters";
        else if (string.IsNullOrWhiteSpace(r.TeamId) || r.TeamId.Length > 128) reason = "team_id must be 1-128 characters";
        else if (string.IsNullOrWhiteSpace(r.ModelAlias) || r.ModelAlias.Length > 128) reason = "model_alias must be 1-128 characters";
        else if (string.IsNullOrWhiteSpace(r.ModelVersion) || r.ModelVersion.Length > 128) reason = "model_version must be 1-128 characters";
        else if (r.Operation.Length is 0 or > 32) reason = "operation must be 1-32 characters";
        else if (r.Outcome.Length is 0 or > 32) reason = "outcome must be 1-32 characters";
        else if (r.Currency is not { Length: 3 } || !r.Currency.All(char.IsAsciiLetterUpper)) reason = "currency must be an ISO 4217 code";
        else if (r.InputTokens is < 0 or > MaxTokens || r.CachedInputTokens < 0 || r.OutputTokens is < 0 or > MaxTokens || r.CachedInputTokens > r.InputTokens)
            reason = "token counts must be from 0 to 2^40 (cached ≤ input)";
        else if (r.Cost < 0 || !Money.FitsLedger(r.Cost)) reason = $"cost must be zero or positive with at most {Money.LedgerScale} decimals";
        else if (r.Timestamp < new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)) reason = "timestamp is missing";
        else if ((r.SubscriptionId?.Length ?? 0) > 128 || (r.DeploymentId?.Length ?? 0) > 128 || (r.ProviderId?.Length ?? 0) > 128 || (r.ProxyNode?.Length ?? 0) > 128)
            reason = "an id is longer than 128 characters";
        return reason is null ? (r, null) : (null, reason);
    }

    private static UsageEntry ToEntry(UsageRecord r, string costCentre, string billingPeriod, DateTimeOffset now) => new()
    {
        RequestId = r.RequestId, Timestamp = AuditChain.Truncate(r.Timestamp), ProxyNode = r.ProxyNode, KeyId = r.KeyId, TeamId = r.TeamId,
        CostCentre = costCentre, SubscriptionId = r.SubscriptionId, ModelAlias = r.ModelAlias, ModelVersion = r.ModelVersion,
        DeploymentId = r.DeploymentId, ProviderId = r.ProviderId, Operation = r.Operation, Streamed = r.Streamed,
        InputTokens = r.InputTokens, CachedInputTokens = r.CachedInputTokens, OutputTokens = r.OutputTokens, Cost = r.Cost, Currency = r.Currency,
        LatencyMs = double.IsFinite(r.LatencyMs) ? r.LatencyMs : 0, TimeToFirstTokenMs = r.TimeToFirstTokenMs is { } t && double.IsFinite(t) ? t : null,
        Status = r.Status, Estimated = r.Estimated, Outcome = r.Outcome, BillingPeriod = billingPeriod, IngestedAt = now,
    };

    /// <summary>
    /// Keeps <paramref name="message"/> out of the ledger with its reason (saved with the change in
    /// progress). The batch's id and node are the proxy's own text: stored printable.
    /// </summary>
    private void Quarantine(UsageBatch batch, UsageRecordMessage message, string reason, DateTimeOffset now) =>
        db.UsageQuarantine.Add(new UsageQuarantine
        {
            BatchId = PlainText.Printable(batch.BatchId, 256), NodeId = PlainText.Printable(batch.NodeId, 128), Reason = reason,
            Payload = JsonFormatter.Default.Format(message), ReceivedAt = now,
        });

    private static bool HasControlCharacters(params ReadOnlySpan<string?> values)
    {
        foreach (var value in values)
        {
            if (value is not null && PlainText.HasControlCharacters(value)) return true;
        }
        return false;
    }
}
