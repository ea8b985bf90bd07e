using Gateway.ControlPlane.Data;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Features.ProxyNodes;

/// <summary>Records proxies as they watch and send heartbeats.</summary>
internal static class ProxyRegistry
{
    public static async Task<ProxyNode> TouchAsync(GatewayDbContext db, string nodeId, string clientId, DateTimeOffset now, Action<ProxyNode>? update, CancellationToken cancellationToken)
    {
        var node = await db.ProxyNodes.FindAsync([nodeId], cancellationToken);
        if (node is null)
        {
            node = new ProxyNode { NodeId = nodeId, FirstSeenAt = now, ClientId = clientId };
            db.ProxyNodes.Add(node);
        }
        node.LastSeenAt = now;
        node.ClientId = clientId;
        update?.Invoke(node);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two calls of a new node raced to insert it: the other one won, update that row.
            db.ChangeTracker.Clear();
            node = await db.ProxyNodes.SingleAsync(p => p.NodeId == nodeId, cancellationToken);
            node.LastSeenAt = now;
            update?.Invoke(node);
            await db.SaveChangesAsync(cancellationToken);
        }
        return node;
    }
}
