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
/// Writes shipped usage into the ledger exactly once: under the billing lock, request ids already
/// in the ledger (or repeated in the batch) are counted as duplicates, the rest are inserted with
/// their hourly rollups in the same transaction. Malformed records are quarantined with their
/// reason, never dropped silently. The caller acknowledges only after this returns (committed).
/// </summary>
internal sealed class UsageLedger(GatewayDbContext db, TimeProvider time)
{
    private const int Chunk = 500;

    public async Task<IngestResult> IngestAsync(UsageBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
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
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        var rejected = 0;
        foreach (var message in batch.Records)
        {
            var (record, reason) = Parse(message);
            if (record is null)
            {
                rejected++;
                db.UsageQuarantine.Add(new UsageQuarantine
                {
                    BatchId = Truncate(batch.BatchId, 256), NodeId = Truncate(batch.NodeId, 128), Reason = reason!,
                    Payload = JsonFormatter.Default.Format(message), ReceivedAt = now,
                });
            }
            else if (!seen.Add(record.RequestId)) duplicates++;
            else valid.Add(record);
        }

        var change = db.BeginChange(Actor.System, time);
        await change.LockBillingAsync(cancellationToken);
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in valid.Select(r => r.RequestId).Chunk(Chunk))
        {
            existing.UnionWith(await db.UsageEntries.Where(u => chunk.Contains(u.RequestId)).Select(u => u.RequestId).ToListAsync(cancellationToken));
        }
        var fresh = valid.Where(r => !existing.Contains(r.RequestId)).ToList();
        duplicates += valid.Count - fresh.Count;

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
        if (string.IsNullOrWhiteSpace(r.RequestId) || r.RequestId.Length > 128) reason = "request_id must be 1-128 characters";
        else if (string.IsNullOrWhiteSpace(r.KeyId) || r.KeyId.Length > 64) reason = "key_id must be 1-64 characters";
        else if (string.IsNullOrWhiteSpace(r.TeamId) || r.TeamId.Length > 128) reason = "team_id must be 1-128 characters";
        else if (string.IsNullOrWhiteSpace(r.ModelAlias) || r.ModelAlias.Length > 128) reason = "model_alias must be 1-128 characters";
        else if (string.IsNullOrWhiteSpace(r.ModelVersion) || r.ModelVersion.Length > 128) reason = "model_version must be 1-128 characters";
        else if (r.Operation.Length is 0 or > 32) reason = "operation must be 1-32 characters";
        else if (r.Outcome.Length is 0 or > 32) reason = "outcome must be 1-32 characters";
        else if (r.Currency is not { Length: 3 } || !r.Currency.All(char.IsAsciiLetterUpper)) reason = "currency must be an ISO 4217 code";
        else if (r.InputTokens < 0 || r.CachedInputTokens < 0 || r.OutputTokens < 0 || r.CachedInputTokens > r.InputTokens) reason = "token counts must be zero or positive (cached ≤ input)";
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

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
