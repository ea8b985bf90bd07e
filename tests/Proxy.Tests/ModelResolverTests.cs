using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.ModelResolution;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Tests.Infrastructure;

namespace Gateway.Proxy.Tests;

public sealed class ModelResolverTests
{
    private static readonly CompiledSnapshot Snapshot = Compiled.Of(TestWorld.Snapshot("http://127.0.0.1:9"));
    private static readonly CompiledKey Key = Snapshot.Keys["testkey00001"];

    private static ResolutionResult Resolve(string model, out ModelResolution resolution, string requestId = "req-fixed", CompiledKey? key = null, DateTimeOffset? now = null) =>
        ModelResolver.Resolve(Snapshot, key ?? Key, model, requestId, now ?? TestWorld.Now, out resolution);

    [Fact]
    public void Alias_WithoutCanaryHit_ResolvesToTheDefaultVersion()
    {
        var id = FindRequestId(canary: false);

        Assert.Equal(ResolutionResult.Success, Resolve("chat", out var r, id));

        Assert.Equal("chat-v1", r.Version.Name);
        Assert.Equal(VersionSelection.Default, r.Selection);
        Assert.Equal("sub-chat", r.Subscription.Id);
    }

    [Fact]
    public void Alias_CanaryHit_ResolvesToTheCanaryVersion_DeterministicallyPerRequestId()
    {
        var id = FindRequestId(canary: true);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(ResolutionResult.Success, Resolve("chat", out var r, id));
            Assert.Equal("chat-v2", r.Version.Name);
            Assert.Equal(VersionSelection.Canary, r.Selection);
        }
    }

    [Fact]
    public void CanarySplit_IsWithinThreePercent_Over10000Resolutions()
    {
        var canary = 0;
        for (var i = 0; i < 10_000; i++)
        {
            Resolve("chat", out var r, RequestIds.New());
            if (r.Version.Name == "chat-v2") canary++;
        }

        Assert.InRange(canary, 700, 1300); // 10 % ± 3 points
    }

    [Fact]
    public void PinnedSubscription_WinsOverCanaryAndDefault()
    {
        var snapshot = TestWorld.Snapshot("http://127.0.0.1:9", canaryPercent: 100);
        var pinned = snapshot with
        {
            Subscriptions = [.. snapshot.Subscriptions.Select(s => s.ModelAlias == "chat" ? s with { PinnedVersion = "chat-v1" } : s)],
        };
        var compiled = Compiled.Of(pinned);

        Assert.Equal(ResolutionResult.Success, ModelResolver.Resolve(compiled, compiled.Keys["testkey00001"], "chat", "any", TestWorld.Now, out var r));

        Assert.Equal("chat-v1", r.Version.Name);
        Assert.Equal(VersionSelection.Pinned, r.Selection);
    }

    [Fact]
    public void ExactVersionName_IsAccepted_WhenTheAliasIsSubscribed()
    {
        Assert.Equal(ResolutionResult.Success, Resolve("chat-v2", out var r));
        Assert.Equal("chat-v2", r.Version.Name);
        Assert.Equal(VersionSelection.Explicit, r.Selection);

        Assert.Equal(ResolutionResult.NotAllowed, Resolve("chat-v2", out _, key: Snapshot.Keys["testkey00004"]));
    }

    [Fact]
    public void UnknownModel_IsNotFound_AndUnsubscribedModel_IsNotAllowed()
    {
        Assert.Equal(ResolutionResult.NotFound, Resolve("no-such-model", out _));
        Assert.Equal(ResolutionResult.NotAllowed, Resolve("private", out _));
        Assert.Equal(ResolutionResult.NotAllowed, Resolve("private-v1", out _));
    }

    [Fact]
    public void RetiredVersion_IsRefused_NamingItsSuccessor()
    {
        Assert.Equal(ResolutionResult.Retired, Resolve("legacy-v1", out var r));
        Assert.Equal("legacy-v2", r.Version.Spec.Successor);
    }

    [Fact]
    public void VersionPastItsSunset_IsTreatedAsRetired()
    {
        Assert.Equal(ResolutionResult.Success, Resolve("legacy", out _));
        Assert.Equal(ResolutionResult.Retired, Resolve("legacy", out var r, now: new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal("legacy-v2", r.Version.Name);
    }

    [Fact]
    public void EndedSubscription_IsNotAllowed()
    {
        var snapshot = TestWorld.Snapshot("http://127.0.0.1:9");
        var ended = snapshot with
        {
            Subscriptions = [.. snapshot.Subscriptions.Select(s => s with { EndsAt = TestWorld.Now.AddDays(-1) })],
        };
        var compiled = Compiled.Of(ended);

        Assert.Equal(ResolutionResult.SubscriptionEnded, ModelResolver.Resolve(compiled, compiled.Keys["testkey00001"], "chat", "x", TestWorld.Now, out _));
    }

    [Fact]
    public void Resolve_AllocatesNothing()
    {
        // The warm-up runs exactly the measured calls, so one-time initialisation on any path
        // (whichever order the runner picks for this class's tests) is not counted.
        static void Round()
        {
            Resolve("chat", out _, "req_0192a1b2c3d4e5f60718293a4b5c6d7e");
            Resolve("chat-v2", out _);
            Resolve("no-such-model", out _);
        }

        for (var i = 0; i < 100; i++) Round();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) Round();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static string FindRequestId(bool canary)
    {
        for (var i = 0; ; i++)
        {
            var id = "req-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (ModelResolver.CanaryBucket(id) < 1000 == canary) return id;
        }
    }
}
