using Gateway.Testing;

namespace Gateway.E2E.Tests.Infrastructure;

/// <summary>What the journeys need from the machine: Chromium (Debian's package) at a fixed path.</summary>
internal static class Requirements
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Why the journeys cannot run here, or null.</summary>
    public static string? Missing => File.Exists(ChromiumPath) ? null : $"The browser journeys need Chromium at {ChromiumPath} (apt-get install chromium).";

    /// <summary>Skips outside CI, fails in CI (GATEWAY_TEST_REQUIRE_SERVICES=1) when something is missing.</summary>
    public static void Check(string? missing)
    {
        if (missing is not null) ServiceRequirement.Unmet(missing);
    }
}
