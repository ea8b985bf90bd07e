namespace Gateway.Testing;

/// <summary>
/// What a test does when a real server it needs (PostgreSQL, Redis, docker-compose, …) is not on
/// the machine: skip with <paramref name="message"/> outside CI, fail in CI
/// (<c>GATEWAY_TEST_REQUIRE_SERVICES=1</c>, set by <c>.ci/run</c>). Linked into each test project.
/// </summary>
internal static class ServiceRequirement
{
    public static void Unmet(string message)
    {
        if (Environment.GetEnvironmentVariable("GATEWAY_TEST_REQUIRE_SERVICES") == "1") Assert.Fail(message);
        Assert.Skip(message);
    }
}
