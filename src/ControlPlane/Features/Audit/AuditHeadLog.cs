using Gateway.ControlPlane.Data;
using Gateway.ControlPlane.Features.Snapshots;
using Gateway.ControlPlane.Infrastructure;
using Microsoft.Extensions.Options;

namespace Gateway.ControlPlane.Features.Audit;

/// <summary>
/// Writes the audit chain's signed head to the control plane's log every
/// <c>ControlPlane:AuditHeadLogMinutes</c> (5; 0: never) when it moved. Logs leave the machine for
/// the bank's log store, where the database's administrators cannot reach them: each logged head
/// is a point the chain must still hold (<c>GET /api/audit/verify?sequence=…&amp;hash=…</c>), so a
/// chain rewritten or cut back in the database, however consistently, is found.
/// </summary>
internal sealed partial class AuditHeadLog(
    IServiceScopeFactory scopes, SnapshotSigner signer, TimeProvider time, IOptions<ControlPlaneOptions> options, ILogger<AuditHeadLog> logger) : BackgroundService
{
    private long _logged = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = options.Value.AuditHeadLogMinutes;
        if (minutes <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes), time);
        try
        {
            do
            {
                await LogIfMovedAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task LogIfMovedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var head = await AuditEndpoints.ReadHeadAsync(scope.ServiceProvider.GetRequiredService<GatewayDbContext>(), signer, time, cancellationToken);
            if (head.Sequence == _logged) return;
            LogHead(head.Sequence, head.Hash, head.SignedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture), head.SigningKeyId, head.Signature);
            _logged = head.Sequence;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(ex);
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Audit chain head: sequence {Sequence}, hash {Hash}, signed at {SignedAt} with key {SigningKeyId}: {Signature}")]
    private partial void LogHead(long sequence, string hash, string signedAt, string signingKeyId, string signature);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Could not read the audit chain's head to log it")]
    private partial void LogFailed(Exception exception);
}
