using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Gateway.ServiceDefaults.Tests;

public sealed class HealthEndpointTests
{
    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(Action<ServiceDefaultsOptions>? configure = null, Action<WebApplicationBuilder>? extra = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults(configure);
        extra?.Invoke(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) });
    }

    [Fact]
    public async Task HealthAndAlive_AnswerHealthy()
    {
        var (app, client) = await StartAsync();
        await using var _ = app;
        using var __ = client;

        var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var alive = await client.GetAsync("/alive", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Health_ReportsAFailingReadinessCheck_WhileAliveStaysUp()
    {
        var (app, client) = await StartAsync(extra: b =>
            b.Services.AddHealthChecks().AddCheck("snapshot", () => HealthCheckResult.Unhealthy("no snapshot")));
        await using var _ = app;
        using var __ = client;

        var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var alive = await client.GetAsync("/alive", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Metrics_OnlyWhenAskedFor()
    {
        var (plain, plainClient) = await StartAsync();
        await using (plain)
        using (plainClient)
        {
            var response = await plainClient.GetAsync("/metrics", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var (withMetrics, client) = await StartAsync(o => o.PrometheusEndpoint = true);
        await using (withMetrics)
        using (client)
        {
            await client.GetAsync("/health", TestContext.Current.CancellationToken);
            var response = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("http_server_request_duration", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
    }
}
