using Gateway.Proxy.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("Proxy:Routing:MaxAttempts", "0")]
    [InlineData("Proxy:Routing:BreakerFailureThreshold", "0")]
    [InlineData("Proxy:MaxRequestBodyBytes", "10")]
    [InlineData("Proxy:Snapshot:PollSeconds", "0")]
    [InlineData("Proxy:DefaultRun:Enabled", "true")]
    [InlineData("Proxy:Usage:ChannelCapacity", "1")]
    [InlineData("Proxy:Counters:Store", "Redis")]
    [InlineData("Proxy:ControlPlane:GrpcUrl", "not a url")]
    public async Task BadSettings_StopTheStart(string key, string value)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ProxyHost.StartAsync(null, new Dictionary<string, string?> { [key] = value }));

        Assert.NotEmpty(ex.Failures);
    }
}
