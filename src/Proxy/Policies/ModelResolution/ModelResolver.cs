using System.IO.Hashing;
using System.Runtime.InteropServices;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Snapshots;

namespace Gateway.Proxy.Policies.ModelResolution;

internal enum ResolutionResult
{
    Success,
    NotFound,
    NotAllowed,
    SubscriptionEnded,
    Retired,
}

/// <summary>The outcome of resolving what the client asked for.</summary>
internal readonly record struct ModelResolution(CompiledModel Model, CompiledVersion Version, CompiledSubscription Subscription, VersionSelection Selection);

/// <summary>
/// Alias → version: an exact version name of a subscribed alias is taken as is; otherwise the
/// subscription's pin, else the canary for its share of request ids (a stable hash, so a retried
/// request id lands on the same version), else the default. Retired versions, and versions past
/// their sunset, are refused. No allocation.
/// </summary>
internal static class ModelResolver
{
    public const int BasisPoints = 10_000;

    public static ResolutionResult Resolve(CompiledSnapshot snapshot, CompiledKey key, ReadOnlySpan<char> requested, ReadOnlySpan<char> requestId, DateTimeOffset now, out ModelResolution resolution)
    {
        resolution = default;
        CompiledModel model;
        CompiledVersion? explicitVersion = null;
        if (!snapshot.TryGetModel(requested, out model))
        {
            if (!snapshot.TryGetVersion(requested, out var version)) return ResolutionResult.NotFound;
            explicitVersion = version;
            model = version.Model;
        }
        if (!key.TryGetSubscription(model, out var subscription)) return ResolutionResult.NotAllowed;
        if (subscription.Spec.EndsAt is { } endsAt && endsAt <= now) return ResolutionResult.SubscriptionEnded;

        CompiledVersion chosen;
        VersionSelection selection;
        if (explicitVersion is not null) (chosen, selection) = (explicitVersion, VersionSelection.Explicit);
        else if (subscription.Pinned is { } pinned) (chosen, selection) = (pinned, VersionSelection.Pinned);
        else if (model.Canary is { } canary && CanaryBucket(requestId) < model.CanaryBasisPoints) (chosen, selection) = (canary, VersionSelection.Canary);
        else (chosen, selection) = (model.Default, VersionSelection.Default);

        resolution = new ModelResolution(model, chosen, subscription, selection);
        if (chosen.Status == VersionStatus.Retired || chosen.Spec.SunsetAt is { } sunset && sunset <= now) return ResolutionResult.Retired;
        return ResolutionResult.Success;
    }

    /// <summary>The request id's bucket in [0, 10,000): a stable hash, so the split is deterministic per request id.</summary>
    public static int CanaryBucket(ReadOnlySpan<char> requestId) =>
        (int)(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(requestId)) % BasisPoints);

    /// <summary>Whether a model of <paramref name="kind"/> serves <paramref name="operation"/>.</summary>
    public static bool Serves(ModelKind kind, GatewayOperation operation) => kind switch
    {
        ModelKind.Chat => operation is GatewayOperation.ChatCompletions or GatewayOperation.Completions or GatewayOperation.Responses or GatewayOperation.Messages,
        ModelKind.Embeddings => operation == GatewayOperation.Embeddings,
        ModelKind.Realtime => operation == GatewayOperation.Realtime,
        ModelKind.Inference => operation == GatewayOperation.Inference,
        _ => false,
    };
}
