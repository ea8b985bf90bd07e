using System.Net;
using System.Web;
using Gateway.Portal.Auth;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gateway.Portal.Tests.Auth;

/// <summary>The Portal's HTTP pipeline: who is sent to sign in, what stays anonymous, what never leaks.</summary>
public sealed class PortalHostTests : IClassFixture<PortalHostTests.PortalFactory>
{
    private readonly PortalFactory _factory;

    public PortalHostTests(PortalFactory factory) => _factory = factory;

    private HttpClient Client() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Anonymous_IsSentToTheControlPlane_WithCodeAndPkce()
    {
        using var response = await Client().GetAsync("/catalog", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("http://cp.test/connect/authorize", location.GetLeftPart(UriPartial.Path));
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("gateway-portal", query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.Equal("openid profile email roles offline_access gateway.api", query["scope"]);
        Assert.Equal("http://localhost/signin-oidc", query["redirect_uri"]);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Correlation.", StringComparison.Ordinal) && c.Contains("samesite=lax", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Exports_RequireSignIn()
    {
        using var response = await Client().GetAsync("/exports/statements/2026-11.csv", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://cp.test/connect/authorize", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/signed-out")]
    [InlineData("/sign-in-failed")]
    public async Task PublicPages_AnswerWithoutSignIn(string path)
    {
        using var response = await Client().GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/signed-out")]
    [InlineData("/catalog")]
    [InlineData("/test/throw")]
    public async Task EveryAnswer_IsNeverFramed_AndCarriesThePortalsContentSecurityPolicy(string path)
    {
        using var response = await Client().GetAsync(path, Ct);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(PortalApp.ContentSecurityPolicy, policy);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal); // no inline script, no eval
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APage_HasNoInlineScript_ThatThePolicyWouldBlock()
    {
        using var response = await Client().GetAsync("/signed-out", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        foreach (System.Text.RegularExpressions.Match script in System.Text.RegularExpressions.Regex.Matches(html, "<script(?<attributes>[^>]*)>(?<body>.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline))
        {
            Assert.Contains("src=", script.Groups["attributes"].Value, StringComparison.Ordinal);
            Assert.True(string.IsNullOrWhiteSpace(script.Groups["body"].Value), "an inline script: " + script.Value);
        }
    }

    [Fact]
    public async Task SignIn_ReturnsOnlyToLocalAddresses()
    {
        using var response = await Client().GetAsync("/account/signin?returnUrl=https://evil.example/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", AuthenticationExtensions.LocalUrl("https://evil.example/"));
        Assert.Equal("/", AuthenticationExtensions.LocalUrl("//evil.example"));
        Assert.Equal("/", AuthenticationExtensions.LocalUrl("/\\evil.example"));
        Assert.Equal("/keys?team=a", AuthenticationExtensions.LocalUrl("/keys?team=a"));
    }

    [Fact]
    public async Task Failure_ShowsTheErrorPage_NeverTheException()
    {
        using var response = await Client().GetAsync("/test/throw", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("The portal could not complete this request", body);
        Assert.DoesNotContain("secret detail", body);
        Assert.DoesNotContain("at Gateway.", body);
    }

    [Fact]
    public async Task SignOut_WithoutSession_EndsOnTheSignedOutPage()
    {
        using var response = await Client().PostAsync("/account/signout", null, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signed-out", response.Headers.Location!.ToString());
    }

    /// <summary>The real Portal (Development, like the default run) with the control plane's OIDC metadata given, not fetched.</summary>
    public sealed class PortalFactory : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Portal:ControlPlaneUrl", "http://cp.test");
            builder.UseSetting("Portal:ProxyUrl", "http://proxy.test");
            builder.ConfigureTestServices(services =>
            {
                services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o =>
                {
                    o.Configuration = new OpenIdConnectConfiguration
                    {
                        Issuer = "http://cp.test/",
                        AuthorizationEndpoint = "http://cp.test/connect/authorize",
                        TokenEndpoint = "http://cp.test/connect/token",
                        EndSessionEndpoint = "http://cp.test/connect/logout",
                    };
                    o.ConfigurationManager = new Microsoft.IdentityModel.Protocols.StaticConfigurationManager<OpenIdConnectConfiguration>(o.Configuration);
                });
                services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ThrowingEndpoint>();
            });
        }
    }

    /// <summary>An endpoint that fails with a secret in its message, to prove the error page hides it.</summary>
    private sealed class ThrowingEndpoint : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            next(app);
            // After the Portal's pipeline: reached by a path no endpoint serves, inside its exception handler.
            app.Use((HttpContext context, RequestDelegate rest) =>
                context.Request.Path == "/test/throw" ? throw new InvalidOperationException("secret detail") : rest(context));
        };
    }
}
