using System.Net;
using Gateway.ControlPlane.Tests.Infrastructure;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// Readiness follows the database: a replica whose database is gone answers 503 on /health (so
/// an orchestrator takes it out of rotation) but stays alive on /alive (so nothing restarts it).
/// </summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Health_IsUnready_WhenTheDatabaseIsGone_ButTheReplicaStaysAlive()
    {
        await using var fixture = new PostgresFixture();
        await fixture.InitializeAsync();
        fixture.Require();
        var ct = TestContext.Current.CancellationToken;
        using var client = fixture.Client();

        using (var ready = await client.GetAsync("/health", ct))
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        await fixture.LoseDatabaseAsync();

        using (var unready = await client.GetAsync("/health", ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
            Assert.DoesNotContain("Password", await unready.Content.ReadAsStringAsync(ct), StringComparison.OrdinalIgnoreCase);
        }
        using (var alive = await client.GetAsync("/alive", ct))
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
