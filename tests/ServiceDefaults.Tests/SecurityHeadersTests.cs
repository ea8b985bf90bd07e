using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.ServiceDefaults.Tests;

/// <summary>The browser-facing headers: on every answer, error pages included, the policy only where it applies.</summary>
public sealed class SecurityHeadersTests
{
    [Fact]
    public async Task EveryAnswer_CarriesTheHeaders_TheErrorPageToo_AndThePolicyOnlyWhereItApplies()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.UseSecurityHeaders("default-src 'none'", c => c.Request.Path.StartsWithSegments("/page"));
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = c => c.Response.WriteAsync("failed") });
        app.MapGet("/page", () => Results.Content("<p>hi</p>", "text/html"));
        app.MapGet("/api", () => Results.Json(new { ok = true }));
        app.MapGet("/page/boom", IResult () => throw new InvalidOperationException("boom"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        foreach (var (path, status, policy) in new[] { ("/page", HttpStatusCode.OK, true), ("/api", HttpStatusCode.OK, false), ("/page/boom", HttpStatusCode.InternalServerError, true), ("/nothing", HttpStatusCode.NotFound, false) })
        {
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
            Assert.Equal("DENY", Single(response, "X-Frame-Options"));
            Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
            Assert.Equal("same-origin", Single(response, "Cross-Origin-Opener-Policy"));
            Assert.Equal(policy ? "default-src 'none'" : null, response.Headers.TryGetValues("Content-Security-Policy", out var values) ? values.Single() : null);
        }
    }

    private static string? Single(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}
