using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Gateway.Testing;

namespace Gateway.Integration.Tests.AppHost;

/// <summary>
/// The default run's AppHost, started through Aspire's testing builder on free ports (the fixed
/// 5080-5089 may be taken), with its data in a temporary folder: every service answers /health.
/// </summary>
public sealed class AppHostHealthTests
{
    private static readonly string[] Services = ["mockllm", "controlplane", "proxy", "portal"];

    [Fact]
    public async Task EveryService_AnswersHealth()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        // Generous: in CI this runs beside the browser journeys' own AppHost on two cores, and four
        // cold .NET services start in parallel (alone it takes under a minute).
        timeout.CancelAfter(TimeSpan.FromMinutes(6));
        var ct = timeout.Token;
        var dataDirectory = Directory.CreateTempSubdirectory("gateway-apphost-test-");
        Environment.SetEnvironmentVariable("GATEWAY_DATA_DIR", dataDirectory.FullName);
        try
        {
            var ports = FreePorts.Take(5);
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                $"--Ports:Proxy={ports[0]}", $"--Ports:ControlPlane={ports[1]}",
                $"--Ports:Portal={ports[2]}", $"--Ports:MockLlm={ports[3]}", $"--Ports:ControlPlaneGrpc={ports[4]}",
            ], ct);
            await using var app = await builder.BuildAsync(ct);
            await app.StartAsync(ct);

            foreach (var service in Services)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(service, ct);
                using var client = app.CreateHttpClient(service, "http");
                using var response = await client.GetAsync("/health", ct);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{service} /health answered {(int)response.StatusCode}");
            }

            // The proxy is fed by the control plane over gRPC (it has no other source on the
            // default run): the demo key the control plane seeded works through it.
            using (var proxy = app.CreateHttpClient("proxy", "http"))
            using (var models = new HttpRequestMessage(HttpMethod.Get, "/v1/models"))
            {
                models.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Gateway.Contracts.Keys.DemoKeys.Key);
                using var response = await proxy.SendAsync(models, ct);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"proxy /v1/models with the demo key answered {(int)response.StatusCode}");
            }
            // The proxy's client secret was generated into the data directory, not taken from the repository.
            Assert.True(File.Exists(Path.Combine(dataDirectory.FullName, "apphost", "proxy-client-secret")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("GATEWAY_DATA_DIR", null);
            try
            {
                dataDirectory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A service may still hold a file for a moment; the OS cleans its temp folder.
            }
        }
    }

}
