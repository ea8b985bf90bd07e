using Gateway.Contracts.Snapshot;
using Gateway.Proxy.Policies.Routing;
using Gateway.Proxy.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Proxy.Tests;

public sealed class RoutingTests
{
    private static GatewaySnapshot Weighted(params DeploymentSpec[] deployments)
    {
        var snapshot = TestWorld.Snapshot("http://127.0.0.1:9");
        var chat = snapshot.Models[0];
        var v1 = chat.Versions[0] with { Deployments = deployments };
        return snapshot with
        {
            Providers = [.. snapshot.Providers, new ProviderSpec("nocred", ProviderKind.OpenAI, "http://127.0.0.1:9", "env:PROXY_TESTS_SURELY_UNSET")],
            Models = [chat with { Versions = [v1, chat.Versions[1]] }, .. snapshot.Models.Skip(1)],
        };
    }

    [Fact]
    public void Breaker_OpensAfterTheThreshold_ThenLetsOneProbeThroughAfterTheOpenPeriod()
    {
        var time = new FakeTimeProvider(TestWorld.Now);
        var health = new DeploymentHealth("d", new BreakerSettings(3, TimeSpan.FromSeconds(30), time));

        Assert.False(health.ReportFailure());
        Assert.False(health.ReportFailure());
        Assert.True(health.ReportFailure());
        Assert.Equal(BreakerState.Open, health.State);
        Assert.False(health.TryAcquire());

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(health.IsAvailable());
        Assert.True(health.TryAcquire());
        Assert.Equal(BreakerState.HalfOpen, health.State);
        Assert.False(health.TryAcquire());

        Assert.True(health.ReportSuccess());
        Assert.Equal(BreakerState.Closed, health.State);
        Assert.True(health.TryAcquire());
    }

    [Fact]
    public void Breaker_FailedProbe_OpensAgain()
    {
        var time = new FakeTimeProvider(TestWorld.Now);
        var health = new DeploymentHealth("d", new BreakerSettings(1, TimeSpan.FromSeconds(10), time));
        health.ReportFailure();
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(health.TryAcquire());

        Assert.True(health.ReportFailure());

        Assert.Equal(BreakerState.Open, health.State);
        Assert.False(health.TryAcquire());
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(health.TryAcquire());
    }

    [Fact]
    public void Breaker_ProbeThatNeverReports_IsReplacedAfterAnotherOpenPeriod()
    {
        var time = new FakeTimeProvider(TestWorld.Now);
        var health = new DeploymentHealth("d", new BreakerSettings(1, TimeSpan.FromSeconds(10), time));
        health.ReportFailure();
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(health.TryAcquire());

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(health.TryAcquire());
    }

    [Fact]
    public void Selector_TriesLowerPriorityFirst_ThenFailsOver_NeverRepeating()
    {
        var compiled = Compiled.Of(Weighted(
            new DeploymentSpec("backup", "openai", "m", Weight: 100, Priority: 1),
            new DeploymentSpec("primary", "openai", "m", Weight: 1, Priority: 0)));
        var request = Compiled.RequestFor(compiled, "chat-v1");

        Assert.True(DeploymentSelector.TryNext(request));
        Assert.Equal("primary", request.Deployment!.Id);
        Assert.True(DeploymentSelector.HasAlternative(request));
        Assert.True(DeploymentSelector.TryNext(request));
        Assert.Equal("backup", request.Deployment!.Id);
        Assert.False(DeploymentSelector.HasAlternative(request));
        Assert.False(DeploymentSelector.TryNext(request));
    }

    [Fact]
    public void Selector_SplitsByWeightWithinAPriority()
    {
        var compiled = Compiled.Of(Weighted(
            new DeploymentSpec("heavy", "openai", "m", Weight: 3),
            new DeploymentSpec("light", "openai", "m", Weight: 1)));
        var random = new Random(1234);
        var heavy = 0;
        for (var i = 0; i < 4000; i++)
        {
            var request = Compiled.RequestFor(compiled, "chat-v1");
            DeploymentSelector.TryNext(request, random);
            if (request.Deployment!.Id == "heavy") heavy++;
        }

        Assert.InRange(heavy, 2800, 3200);
    }

    [Fact]
    public void Selector_SkipsOpenCircuits_DrainedDeployments_AndMissingCredentials()
    {
        var compiled = Compiled.Of(Weighted(
            new DeploymentSpec("drained", "openai", "m", Weight: 0),
            new DeploymentSpec("nocred", "nocred", "m"),
            new DeploymentSpec("broken", "openai", "m"),
            new DeploymentSpec("healthy", "openai", "m", Priority: 5)),
            routing: new RoutingOptions { BreakerFailureThreshold = 1 });
        compiled.Versions["chat-v1"].Deployments[2].Health.ReportFailure();
        var request = Compiled.RequestFor(compiled, "chat-v1");

        Assert.True(DeploymentSelector.TryNext(request));
        Assert.Equal("healthy", request.Deployment!.Id);
        Assert.False(DeploymentSelector.TryNext(request));
    }
}
