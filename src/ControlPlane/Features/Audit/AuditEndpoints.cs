using System.Globalization;
using System.Text;
using System.Text.Json;
using Gateway.Contracts.Admin;
using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.Audit;

/// <summary>
/// <c>/api/audit</c> (platform admins): browse, export (NDJSON or CSV) and verify the hash chain;
/// the chain's head signed by the control plane, and verification against a head kept elsewhere.
/// </summary>
internal static class AuditEndpoints
{
    private static readonly SortMap<AuditEvent> Sorts = new SortMap<AuditEvent>("sequence", e => e.Sequence)
        .Add("sequence", e => e.Sequence).Add("time", e => e.Time).Add("actor", e => e.Actor).Add("action", e => e.Action);

    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Policies.Admin)
            .AddEndpointFilter(static (context, next) =>
            {
                // Every access to the audit log is itself on record (the log, not the chain: reads
                // would bury the changes): who read what, with which filters.
                var http = context.HttpContext;
                http.RequestServices.GetRequiredService<AuditAccessLog>().Read(http.User.UserId(), http.Request.Path, http.Request.QueryString.Value ?? "");
                return next(context);
            });
        audit.MapGet("/", ListAsync);
        audit.MapGet("/export", ExportAsync);
        audit.MapGet("/verify", VerifyAsync);
        audit.MapGet("/head", HeadAsync);
    }

    /// <summary>The chain's head (its last event's sequence and hash; 0 and the genesis hash when empty), signed now.</summary>
    private static async Task<Ok<AuditHeadDto>> HeadAsync(GatewayDbContext db, Snapshots.SnapshotSigner signer, TimeProvider time, CancellationToken ct) =>
        TypedResults.Ok(await ReadHeadAsync(db, signer, time, ct));

    internal static async Task<AuditHeadDto> ReadHeadAsync(GatewayDbContext db, Snapshots.SnapshotSigner signer, TimeProvider time, CancellationToken ct)
    {
        var head = await db.SystemCounters.AsNoTracking().SingleAsync(c => c.Name == SystemCounter.Audit, ct);
        return signer.SignAuditHead(head.Value, head.Text ?? AuditChain.GenesisHash, AuditChain.Truncate(time.GetUtcNow()));
    }

    private static async Task<Results<Ok<PagedResult<AuditEventDto>>, ValidationProblem>> ListAsync([AsParameters] AuditQuery q, GatewayDbContext db, CancellationToken ct)
    {
        var v = new Validation();
        var page = PageRequest.From(q.Page, q.PageSize, q.Sort, q.Order, Sorts, v, SortOrder.Desc);
        if (v.Failed) return v.Problem();
        return TypedResults.Ok(await Filter(db, q).ToPageAsync(page, Sorts, ToDto, ct));
    }

    private static async Task<Results<EmptyHttpResult, ValidationProblem>> ExportAsync([AsParameters] AuditQuery q, HttpContext http, GatewayDbContext db, CancellationToken ct)
    {
        var format = q.Format ?? "ndjson";
        if (format is not ("ndjson" or "csv")) return Problems.Invalid("format", "must be ndjson or csv");
        http.Response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit.{format}\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false));
        if (format == "csv") await writer.WriteLineAsync("sequence,time,actor,actorName,action,targetType,targetId,before,after,previousHash,hash");
        await foreach (var e in Filter(db, q).AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            var dto = ToDto(e);
            await writer.WriteLineAsync(format == "csv" ? Csv(dto) : JsonSerializer.Serialize(dto, ChangeSet.AuditJson));
        }
        return TypedResults.Empty;
    }

    /// <summary>
    /// Walks the chain in order; reports the first event whose link or hash does not hold. Given a
    /// head kept elsewhere (its sequence and hash, from
    /// <c>GET /api/audit/head</c>), also that the chain still holds it: a chain rewritten before
    /// that event, or cut back past it, hashes consistently and is found only this way.
    /// </summary>
    private static async Task<Results<Ok<AuditVerificationDto>, ValidationProblem>> VerifyAsync([AsParameters] AuditVerifyQuery q, GatewayDbContext db, CancellationToken ct)
    {
        var (sequence, hash) = (q.Sequence, q.Hash);
        var v = new Validation();
        if (sequence is null != hash is null) v.Error(sequence is null ? "sequence" : "hash", "is required with " + (sequence is null ? "hash" : "sequence"));
        if (sequence is < 0) v.Error("sequence", "must be 0 or more");
        if (hash is not null && (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower))) v.Error("hash", "must be 64 lowercase hexadecimal characters");
        if (v.Failed) return v.Problem();

        var previous = AuditChain.GenesisHash;
        var expected = 1L;
        var checkedCount = 0L;
        if (sequence == 0 && hash != AuditChain.GenesisHash)
            return TypedResults.Ok(new AuditVerificationDto(false, 0, 0, "the head given for sequence 0 is not the genesis hash"));
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            string? reason = null;
            if (e.Sequence != expected) reason = $"event {expected} is missing (found {e.Sequence} next)";
            else if (e.PreviousHash != previous) reason = "its previous-hash does not match the event before it";
            else if (AuditChain.ComputeHash(e) != e.Hash) reason = "its content does not match its hash (edited)";
            else if (e.Sequence == sequence && e.Hash != hash) reason = "its hash is not the one attested for it: the chain up to it was rewritten";
            if (reason is not null) return TypedResults.Ok(new AuditVerificationDto(false, checkedCount, e.Sequence, reason));
            previous = e.Hash;
            expected++;
            checkedCount++;
        }
        var head = await db.SystemCounters.AsNoTracking().SingleAsync(c => c.Name == SystemCounter.Audit, ct);
        if (head.Value != checkedCount || head.Text != previous)
            return TypedResults.Ok(new AuditVerificationDto(false, checkedCount, checkedCount + 1, "the chain's head names events that are missing (deleted at the end)"));
        if (sequence > checkedCount)
            return TypedResults.Ok(new AuditVerificationDto(false, checkedCount, sequence, $"the chain ends at event {checkedCount}, before the attested event {sequence}: it was cut back"));
        return TypedResults.Ok(new AuditVerificationDto(true, checkedCount, null, null));
    }

    private static IQueryable<AuditEvent> Filter(GatewayDbContext db, AuditQuery q)
    {
        var query = db.AuditEvents.AsQueryable();
        if (!string.IsNullOrWhiteSpace(q.Actor)) query = query.Where(e => e.Actor == q.Actor || e.ActorName == q.Actor);
        if (!string.IsNullOrWhiteSpace(q.Action))
            query = q.Action.EndsWith('.') ? query.Where(e => e.Action.StartsWith(q.Action)) : query.Where(e => e.Action == q.Action);
        if (!string.IsNullOrWhiteSpace(q.TargetType)) query = query.Where(e => e.TargetType == q.TargetType);
        if (!string.IsNullOrWhiteSpace(q.TargetId)) query = query.Where(e => e.TargetId == q.TargetId);
        if (q.From is { } from) query = query.Where(e => e.Time >= from);
        if (q.To is { } to) query = query.Where(e => e.Time < to);
        return query;
    }

    private static AuditEventDto ToDto(AuditEvent e) => new(e.Sequence, e.Time, e.Actor, e.ActorName, e.Action, e.TargetType, e.TargetId, e.Before, e.After, e.PreviousHash, e.Hash);

    private static string Csv(AuditEventDto e) => string.Join(',',
        e.Sequence.ToString(CultureInfo.InvariantCulture), e.Time.ToString("O", CultureInfo.InvariantCulture),
        Quote(e.Actor), Quote(e.ActorName), Quote(e.Action), Quote(e.TargetType), Quote(e.TargetId), Quote(e.Before), Quote(e.After), e.PreviousHash, e.Hash);

    private static string Quote(string? value) => value is null ? "" : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>Writes each access to the audit log (event 510) for the bank's log store.</summary>
internal sealed partial class AuditAccessLog(ILogger<AuditAccessLog> logger)
{
    public void Read(string actor, string path, string query) => LogRead(actor, path, PlainText.Printable(query, 2048));

    [LoggerMessage(EventId = 510, Level = LogLevel.Information, Message = "Audit log read by {Actor}: {Path}{Query}")]
    private partial void LogRead(string actor, string path, string query);
}
