using System.Net;
using System.Text.RegularExpressions;
using Gateway.ControlPlane.Tests.Infrastructure;

namespace Gateway.ControlPlane.Tests;

/// <summary>
/// The sign-in page is never framed by another site (clickjacking of the password form) and
/// loads nothing but its inline styles; every answer of the control plane says no MIME sniffing
/// and sends no referrer.
/// </summary>
[Collection(SqliteCollection.Name)]
public sealed partial class SignInPageHeadersTests(SqliteFixture fixture)
{
    [Fact]
    public async Task TheSignInPage_IsNeverFramed_AndItsPolicyAllowsOnlyItsInlineStyles()
    {
        fixture.Require();
        using var client = fixture.Client();
        using var page = await client.GetAsync("/account/login?returnUrl=%2F", Api.Ct);
        var html = await page.Content.ReadAsStringAsync(Api.Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal(ControlPlaneApp.SignInPagePolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", ControlPlaneApp.SignInPagePolicy, StringComparison.Ordinal);
        // What the policy allows is what the page uses: no script, no image, no stylesheet from anywhere.
        Assert.DoesNotMatch(Loads(), html);

        using var api = await client.GetAsync("/api/teams", Api.Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("nosniff", api.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", api.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(api.Headers.Contains("Content-Security-Policy"));
    }

    [GeneratedRegex("<script|<img|<link|<iframe|<object|url\\(", RegexOptions.IgnoreCase)]
    private static partial Regex Loads();
}

/// <summary>The API's anonymous description is not published outside Development unless asked for.</summary>
public sealed class ApiReferenceTests
{
    [Theory]
    [InlineData(null, HttpStatusCode.NotFound)]
    [InlineData("true", HttpStatusCode.OK)]
    public async Task TheApiReference_IsPublishedOnlyWhenAskedFor_OutsideDevelopment(string? publish, HttpStatusCode expected)
    {
        await using var host = new ConfiguredSqliteFixture(publish is null ? [] : [new("ControlPlane:PublishApiReference", publish)]);
        await host.InitializeAsync();
        using var client = host.Client();
        foreach (var path in new[] { "/openapi/v1.json", "/scalar" })
        {
            using var response = await client.GetAsync(path, Api.Ct);
            Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode}");
        }
    }
}
