using System.Collections.Frozen;
using System.Globalization;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Policies.Routing;

namespace Gateway.Proxy.Snapshots;

/// <summary>Turns a validated <see cref="GatewaySnapshot"/> into the hot path's <see cref="CompiledSnapshot"/>.</summary>
internal sealed class SnapshotCompiler(CredentialResolver credentials, DeploymentHealthRegistry health)
{
    /// <summary>Compiles <paramref name="snapshot"/>; the caller validated it first.</summary>
    public CompiledSnapshot Compile(GatewaySnapshot snapshot, string source)
    {
        var providers = new Dictionary<string, CompiledProvider>(StringComparer.Ordinal);
        foreach (var p in snapshot.Providers)
        {
            // A suspended provider (cut off by a platform admin) gets no traffic, and its secret is not read.
            providers[p.Id] = p.Suspended ? new CompiledProvider(p, new ProviderCredential(p.CredentialRef, null)) { Suspended = true }
                : credentials.EgressAllows(p) ? new CompiledProvider(p, credentials.Resolve(p.Id, p.CredentialRef))
                : new CompiledProvider(p, new ProviderCredential(p.CredentialRef, null)) { EgressAllowed = false };
        }

        var models = new Dictionary<string, CompiledModel>(StringComparer.Ordinal);
        var versions = new Dictionary<string, CompiledVersion>(StringComparer.Ordinal);
        foreach (var m in snapshot.Models)
        {
            var model = new CompiledModel(m);
            var compiled = new CompiledVersion[m.Versions.Count];
            for (var i = 0; i < m.Versions.Count; i++)
            {
                var v = m.Versions[i];
                var deployments = new CompiledDeployment[v.Deployments.Count];
                for (var j = 0; j < v.Deployments.Count; j++)
                {
                    var d = v.Deployments[j];
                    deployments[j] = new CompiledDeployment(d, providers[d.ProviderId], health.Get(d.Id));
                }
                compiled[i] = new CompiledVersion(v, model, deployments)
                {
                    DeprecationHeader = DeprecationHeaderOf(v),
                    SunsetHeader = v.SunsetAt is { } sunset ? sunset.UtcDateTime.ToString("r", CultureInfo.InvariantCulture) : null,
                    SuccessorLinkHeader = v.Successor is { } successor ? $"</v1/models/{successor}>; rel=\"successor-version\"" : null,
                };
                versions[v.Name] = compiled[i];
            }
            model.Versions = compiled;
            model.Default = Find(compiled, m.DefaultVersion);
            if (m.Canary is { Percent: > 0 } canary)
            {
                model.Canary = Find(compiled, canary.Version);
                model.CanaryBasisPoints = (int)Math.Round(canary.Percent * 100, MidpointRounding.AwayFromZero);
            }
            models[m.Alias] = model;
        }

        var teams = new Dictionary<string, CompiledTeam>(StringComparer.Ordinal);
        foreach (var t in snapshot.Teams) teams[t.Id] = new CompiledTeam(t);

        var subscriptions = new Dictionary<string, CompiledSubscription>(StringComparer.Ordinal);
        foreach (var s in snapshot.Subscriptions)
        {
            var model = models[s.ModelAlias];
            var pinned = s.PinnedVersion is { } pin ? Find(model.Versions, pin) : null;
            subscriptions[s.Id] = new CompiledSubscription(s, teams[s.TeamId], model, pinned);
        }

        // Keys with the same subscriptions (most of a team's keys) share one array.
        var keys = new Dictionary<string, CompiledKey>(snapshot.Keys.Count, StringComparer.Ordinal);
        var subscriptionSets = new Dictionary<string, CompiledSubscription[]>(StringComparer.Ordinal);
        foreach (var k in snapshot.Keys)
        {
            var setKey = string.Join('\n', k.SubscriptionIds);
            if (!subscriptionSets.TryGetValue(setKey, out var subs))
            {
                subs = new CompiledSubscription[k.SubscriptionIds.Count];
                for (var i = 0; i < subs.Length; i++) subs[i] = subscriptions[k.SubscriptionIds[i]];
                subscriptionSets[setKey] = subs;
            }
            keys[k.KeyId] = new CompiledKey(k, teams[k.TeamId], subs);
        }

        return new CompiledSnapshot(
            // The compiled keys hold what the proxy needs of each key; the specs are not kept.
            snapshot with { Keys = [] },
            source,
            keys.ToFrozenDictionary(StringComparer.Ordinal),
            models.ToFrozenDictionary(StringComparer.Ordinal),
            versions.ToFrozenDictionary(StringComparer.Ordinal),
            providers.ToFrozenDictionary(StringComparer.Ordinal),
            teams.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static CompiledVersion Find(CompiledVersion[] versions, string name)
    {
        foreach (var v in versions)
        {
            if (v.Name == name) return v;
        }
        throw new InvalidOperationException($"Version '{name}' is missing; the snapshot was not validated.");
    }

    /// <summary>RFC 9745: <c>@unix-seconds</c> of the deprecation date, or <c>true</c> when only the status says so.</summary>
    private static string? DeprecationHeaderOf(ModelVersionSpec v)
    {
        if (v.DeprecatedAt is { } at) return "@" + at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return v.Status == VersionStatus.Deprecated ? "true" : null;
    }
}
