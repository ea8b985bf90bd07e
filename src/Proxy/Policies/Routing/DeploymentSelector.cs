using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Snapshots;

namespace Gateway.Proxy.Policies.Routing;

/// <summary>
/// Picks the next deployment of the resolved version: among those not yet tried, with a positive
/// weight, a resolved credential and a circuit that lets requests through, the lowest priority
/// wins and weight decides within it. Claims the breaker (a half-open circuit admits one probe).
/// No allocation: tried deployments are bits in <see cref="GatewayRequest.TriedDeployments"/>.
/// </summary>
internal static class DeploymentSelector
{
    private const int MaxDeployments = 64;

    public static bool TryNext(GatewayRequest request, Random? random = null)
    {
        var deployments = request.Version!.Deployments;
        var count = Math.Min(deployments.Length, MaxDeployments);
        random ??= Random.Shared;
        while (true)
        {
            var tried = request.TriedDeployments;
            var best = int.MaxValue;
            long total = 0;
            for (var i = 0; i < count; i++)
            {
                var d = deployments[i];
                if ((tried & (1UL << i)) != 0 || !IsUsable(d)) continue;
                if (d.Priority < best)
                {
                    best = d.Priority;
                    total = d.Weight;
                }
                else if (d.Priority == best)
                {
                    total += d.Weight;
                }
            }
            if (best == int.MaxValue) return false;

            var pick = random.NextInt64(total);
            var chosen = -1;
            for (var i = 0; i < count; i++)
            {
                var d = deployments[i];
                if ((tried & (1UL << i)) != 0 || !IsUsable(d) || d.Priority != best) continue;
                chosen = i;
                pick -= d.Weight;
                if (pick < 0) break;
            }
            request.TriedDeployments = tried | (1UL << chosen);
            if (deployments[chosen].Health.TryAcquire())
            {
                request.Deployment = deployments[chosen];
                return true;
            }
            // Another request took the half-open probe: try the next one.
        }
    }

    /// <summary>Whether an untried usable deployment remains (nothing is claimed).</summary>
    public static bool HasAlternative(GatewayRequest request)
    {
        var deployments = request.Version!.Deployments;
        var count = Math.Min(deployments.Length, MaxDeployments);
        for (var i = 0; i < count; i++)
        {
            if ((request.TriedDeployments & (1UL << i)) == 0 && IsUsable(deployments[i])) return true;
        }
        return false;
    }

    private static bool IsUsable(CompiledDeployment d) => d.Weight > 0 && d.Provider.Serves && !d.Provider.Credential.Missing && d.Health.IsAvailable();
}
