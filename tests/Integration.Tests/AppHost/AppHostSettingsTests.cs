using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Integration.Tests.AppHost;

/// <summary>The default run's settings that reach a service, read from the AppHost's model (nothing is started).</summary>
public sealed class AppHostSettingsTests
{
    [Theory]
    [InlineData(null, "false")]
    [InlineData("--ChangeControl:RequireSecondAdmin=true", "true")]
    [InlineData("--ChangeControl:RequireSecondAdmin=false", "false")]
    public async Task ChangeControl_ReachesTheControlPlane_OffUnlessAskedFor(string? argument, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(argument is null ? [] : [argument], ct);
        var controlPlane = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "controlplane");

        var configuration = await ExecutionConfigurationBuilder.Create(controlPlane).WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance, ct);

        Assert.Null(configuration.Exception);
        Assert.Equal(expected, configuration.EnvironmentVariables.Single(e => e.Key == "ControlPlane__ChangeControl__RequireSecondAdmin").Value);
    }
}
