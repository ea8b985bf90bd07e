using Gateway.Contracts.Demo;
using Gateway.Contracts.Snapshot;
using Gateway.ControlPlane.Tests.Infrastructure;

namespace Gateway.ControlPlane.Tests;

/// <summary>The seeded default run compiles to the proxy's demo snapshot in substance (same ids and values).</summary>
public abstract class DemoSnapshotTests(ControlPlaneFixture fixture)
{
    [Fact]
    public async Task CompiledSnapshot_HoldsTheDemoCatalog()
    {
        fixture.Require();
        var demo = DemoCatalog.Snapshot("http://127.0.0.1:5089");
        var snapshot = await SnapshotWatch.WaitForAsync(fixture, _ => true, "demo-check");

        Assert.Empty(SnapshotValidator.Validate(snapshot));
        foreach (var p in demo.Providers) Assert.Equal(p, snapshot.Providers.Single(x => x.Id == p.Id));
        foreach (var t in demo.Teams) Assert.Equal(t, snapshot.Teams.Single(x => x.Id == t.Id));
        foreach (var m in demo.Models)
        {
            var compiled = snapshot.Models.Single(x => x.Alias == m.Alias);
            Assert.Equal(m with { Versions = [] }, compiled with { Versions = [] });
            Assert.Equal(m.Versions.Count, compiled.Versions.Count);
            for (var i = 0; i < m.Versions.Count; i++)
            {
                Assert.Equal(m.Versions[i] with { Deployments = [] }, compiled.Versions[i] with { Deployments = [] });
                Assert.Equal(m.Versions[i].Deployments, compiled.Versions[i].Deployments);
            }
        }
        foreach (var s in demo.Subscriptions) Assert.Equal(s, snapshot.Subscriptions.Single(x => x.Id == s.Id) with { Usage = null });
        var key = snapshot.Keys.Single(k => k.KeyId == DemoCatalog.DemoKey.KeyId);
        Assert.Equal(DemoCatalog.DemoKey with { SubscriptionIds = [] }, key with { SubscriptionIds = [] });
        Assert.Equal(DemoCatalog.DemoKey.SubscriptionIds.Order(), key.SubscriptionIds.Order());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class DemoSnapshotTests_Sqlite(SqliteFixture fixture) : DemoSnapshotTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class DemoSnapshotTests_Postgres(PostgresFixture fixture) : DemoSnapshotTests(fixture);
