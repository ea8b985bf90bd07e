using System.Runtime.CompilerServices;
using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Tests.Infrastructure;

namespace Gateway.Proxy.Tests;

public sealed class SnapshotStoreTests
{
    private static GatewaySnapshot Valid(long revision = 1) => TestWorld.Snapshot("http://127.0.0.1:9", revision: revision);

    [Fact]
    public void TryApply_ValidSnapshot_PublishesACompiledView()
    {
        var store = Compiled.Store();

        Assert.True(store.TryApply(Valid(), "file", out var errors));

        Assert.Empty(errors);
        var current = Assert.IsType<Gateway.Proxy.Snapshots.CompiledSnapshot>(store.Current);
        Assert.True(current.TryGetKey("testkey00001".AsSpan(), out var key));
        Assert.Equal(TestWorld.TeamId, key.Team.Id);
        Assert.True(current.TryGetModel("chat".AsSpan(), out var model));
        Assert.Equal("chat-v1", model.Default.Name);
        Assert.Same(model.Versions[1], model.Canary);
        Assert.Equal(1000, model.CanaryBasisPoints);
        Assert.True(current.TryGetVersion("legacy-v2".AsSpan(), out var legacy));
        Assert.Equal("@1767225600", legacy.DeprecationHeader);
        Assert.Equal("Thu, 01 Jan 2099 00:00:00 GMT", legacy.SunsetHeader);
    }

    [Fact]
    public void Compile_KeepsNoKeySpec_AndKeysWithTheSameSubscriptionsShareOneArray()
    {
        // Tens of thousands of keys: the compiled view holds what the request path needs of each,
        // not the deserialized spec with its hex hash and repeated strings.
        var (compiled, specs) = CompileAndForgetTheSpec();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.All(specs, spec => Assert.False(spec.TryGetTarget(out _), "a key spec is still reachable"));
        Assert.Empty(compiled.Spec.Keys);
        var one = compiled.Keys["testkey00001"];
        var two = compiled.Keys["testkey00002"];
        var narrow = compiled.Keys["testkey00004"];
        Assert.Same(one.Subscriptions, two.Subscriptions);
        Assert.NotSame(one.Subscriptions, narrow.Subscriptions);
        Assert.Equal(["sub-embed"], narrow.Subscriptions.Select(s => s.Id));
        Assert.Equal(Gateway.Contracts.Keys.ApiKeyFormat.HashToHex(TestWorld.Key), Convert.ToHexStringLower(one.Hash));
        Assert.True(two.Revoked);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (CompiledSnapshot Compiled, WeakReference<ApiKeySpec>[] Specs) CompileAndForgetTheSpec()
    {
        var snapshot = Valid();
        return (Compiled.Of(snapshot), [.. snapshot.Keys.Select(k => new WeakReference<ApiKeySpec>(k))]);
    }

    [Fact]
    public void ToSpec_GivesBackEveryKeyAsApplied()
    {
        var snapshot = Valid();
        snapshot.Keys = [.. snapshot.Keys.Select((k, i) => i == 0 ? k with { Limits = new LimitSpec(RequestsPerMinute: 7) } : k)];

        var back = Compiled.Of(snapshot).ToSpec();

        Assert.Equal(snapshot.Revision, back.Revision);
        Assert.Equal(snapshot.Subscriptions, back.Subscriptions);
        Assert.Equal(Describe(snapshot.Keys), Describe(back.Keys));
        static string[] Describe(IEnumerable<ApiKeySpec> keys) => [.. keys
            .Select(k => $"{k.KeyId} {k.Hash} {k.TeamId} {k.Application} {k.ExpiresAt:O} {string.Join(',', k.SubscriptionIds)} {k.Status} {k.Limits}")
            .Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void TryApply_InvalidSnapshot_NamesTheFieldAndKeepsTheLastGoodOne()
    {
        var store = Compiled.Store();
        Assert.True(store.TryApply(Valid(), "file", out _));
        var good = store.Current;
        var bad = Valid(2) with { Subscriptions = [new SubscriptionSpec("sub-x", "team-missing", "chat")] };

        Assert.False(store.TryApply(bad, "file", out var errors));

        Assert.Contains(errors, e => e.Path == "subscriptions[0].teamId");
        Assert.Same(good, store.Current);
    }

    [Fact]
    public void TryApply_LowerRevisionFromTheSameSourceKind_IsRefused()
    {
        var store = Compiled.Store();
        Assert.True(store.TryApply(Valid(5), "control-plane", out _));

        Assert.False(store.TryApply(Valid(4), "control-plane", out var errors));
        Assert.Equal("revision", Assert.Single(errors).Path);
        Assert.Equal(5, store.Current!.Revision);

        Assert.True(store.TryApply(Valid(5), "control-plane", out _));
        Assert.True(store.TryApply(Valid(1), "file", out _));
        Assert.Equal("file", store.Current!.Source);
    }

    [Fact]
    public void Applied_IsRaisedAfterTheSwap()
    {
        var store = Compiled.Store();
        Gateway.Proxy.Snapshots.CompiledSnapshot? seen = null;
        store.Applied += s => seen = store.Current == s ? s : null;

        store.TryApply(Valid(), "file", out _);

        Assert.NotNull(seen);
    }

    [Fact]
    public void BreakerState_SurvivesASnapshotSwap()
    {
        var store = Compiled.Store();
        store.TryApply(Valid(1), "file", out _);
        var before = store.Current!.Versions["chat-v1"].Deployments[0].Health;

        store.TryApply(Valid(2), "file", out _);

        Assert.Same(before, store.Current!.Versions["chat-v1"].Deployments[0].Health);
    }

    [Fact]
    public void Compile_ResolvesCredentialReferences_AndFlagsMissingOnes()
    {
        var snapshot = Valid() with
        {
            Providers = [.. Valid().Providers, new ProviderSpec("unset", ProviderKind.OpenAI, "http://127.0.0.1:9", "env:PROXY_TESTS_SURELY_UNSET")],
        };

        var compiled = Compiled.Of(snapshot);

        Assert.Equal(TestWorld.UpstreamSecret, compiled.Providers["openai"].Credential.Secret);
        Assert.True(compiled.Providers["unset"].Credential.Missing);
        Assert.False(compiled.Providers["kserve"].Credential.Missing);
        Assert.DoesNotContain(TestWorld.UpstreamSecret, compiled.Providers["openai"].Credential.ToString(), StringComparison.Ordinal);
    }
}
