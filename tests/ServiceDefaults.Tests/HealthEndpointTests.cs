using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Gateway.ServiceDefaults.Tests;

public sealed class HealthEndpointTests
{
    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(
        Action<ServiceDefaultsOptions>? configure = null, Action<WebApplicationBuilder>? extra = null, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
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
        Assert.False(health.Headers.Contains("Server"), "the answer names its server");
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

    [Fact]
    public async Task CardinalityLimit_CapsNarrowInstruments_WideOnesKeepTheDefault_AndConfigurationOverrides()
    {
        const string MeterName = "Gateway.Tests.Cardinality";
        async Task<string> ScrapeAsync(int? limit, string? configured)
        {
            var (app, client) = await StartAsync(
                o =>
                {
                    o.PrometheusEndpoint = true;
                    o.Meters.Add(MeterName);
                    o.CardinalityLimit = limit;
                    o.WideInstruments.Add("test.wide");
                },
                settings: configured is null ? null : new Dictionary<string, string?> { ["Metrics:CardinalityLimit"] = configured });
            await using var _ = app;
            using var __ = client;
            using var meter = app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>().Create(new System.Diagnostics.Metrics.MeterOptions(MeterName));
            var narrow = meter.CreateCounter<long>("test.narrow");
            var wide = meter.CreateCounter<long>("test.wide");
            for (var i = 0; i < 10; i++)
            {
                narrow.Add(1, new KeyValuePair<string, object?>("tenant", $"t{i}"));
                wide.Add(1, new KeyValuePair<string, object?>("tenant", $"t{i}"));
            }
            return await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        }

        static int Series(string scrape, string name) =>
            scrape.Split('\n').Count(line => line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains("tenant=", StringComparison.Ordinal));

        var capped = await ScrapeAsync(4, null);
        Assert.Equal(4, Series(capped, "test_narrow_total"));
        // Past the limit nothing is lost: the other six measurements are counted as overflow.
        Assert.Contains("otel_metric_overflow=\"true\"} 6", capped, StringComparison.Ordinal);
        Assert.Equal(10, Series(capped, "test_wide_total"));

        var configured = await ScrapeAsync(4, "50");
        Assert.Equal(10, Series(configured, "test_narrow_total"));
        Assert.DoesNotContain("otel_metric_overflow", configured, StringComparison.Ordinal);

        var unset = await ScrapeAsync(null, null);
        Assert.Equal(10, Series(unset, "test_narrow_total"));
    }

    [Fact]
    public async Task FrameworkRequestMetrics_CanBeLeftOut_KestrelsStay_AndConfigurationOverrides()
    {
        async Task<string> ScrapeAsync(bool requestMetrics, string? configured)
        {
            var (app, client) = await StartAsync(
                o =>
                {
                    o.PrometheusEndpoint = true;
                    o.FrameworkRequestMetrics = requestMetrics;
                },
                settings: configured is null ? null : new Dictionary<string, string?> { ["Metrics:FrameworkRequestMetrics"] = configured });
            await using var _ = app;
            using var __ = client;
            await client.GetAsync("/health", TestContext.Current.CancellationToken);
            return await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        }

        var without = await ScrapeAsync(false, null);
        Assert.DoesNotContain("http_server_request_duration", without, StringComparison.Ordinal);
        Assert.Contains("kestrel_active_connections", without, StringComparison.Ordinal);

        var configured = await ScrapeAsync(false, "true");
        Assert.Contains("http_server_request_duration", configured, StringComparison.Ordinal);
    }
}
