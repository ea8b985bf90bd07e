using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Portal.Components.Pages.Catalog;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Pages;

public sealed class CatalogTests : PortalTestContext
{
    [Fact]
    public void Data_ShowsVersionsWithLifecyclePricesClearanceAndDates()
    {
        SignInAsDeveloper();
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(Data.Model()));
        var cut = RenderPage<Catalog>();
        cut.WaitForAssertion(() => Assert.Contains("gpt-4o-mini-2024-05-01", cut.Markup));
        var versions = cut.Find("[data-testid=versions-gpt-4o-mini]").TextContent;
        Assert.Contains("deprecated", versions);
        Assert.Contains("0.15 USD", versions);
        Assert.Contains("0.60 USD", versions);
        Assert.Contains("confidential", versions);
        Assert.Contains("2027-06-01", versions);
        Assert.Contains("Request access", cut.Markup);
    }

    [Fact]
    public void Loading_ShowsProgressUntilTheApiAnswers()
    {
        SignInAsDeveloper();
        var gate = ControlPlane.Hold(HttpMethod.Get, "/api/models", Data.Page(Data.Model()));
        var cut = RenderPage<Catalog>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(".mud-table-loading-progress, .mud-progress-linear")));
        Assert.DoesNotContain("gpt-4o-mini-2024-07-18", cut.Markup);
        gate.SetResult();
        cut.WaitForAssertion(() => Assert.Contains("gpt-4o-mini-2024-07-18", cut.Markup));
    }

    [Fact]
    public void Empty_SaysNoModelMatches()
    {
        SignInAsDeveloper();
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page<ModelDto>());
        var cut = RenderPage<Catalog>();
        cut.WaitForAssertion(() => Assert.Contains("No model matches these filters.", cut.Markup));
    }

    [Fact]
    public void Error_ShowsTheApiMessage_NotAStackTrace()
    {
        SignInAsDeveloper();
        ControlPlane.Problem(HttpMethod.Get, "/api/models", HttpStatusCode.Forbidden, "Forbidden", "Your token lacks the gateway.api scope.");
        var cut = RenderPage<Catalog>();
        cut.WaitForAssertion(() => Assert.Contains("Your token lacks the gateway.api scope.", cut.Find("[data-testid=api-error]").TextContent));
        Assert.DoesNotContain(" at Gateway.", cut.Markup);
    }

    [Fact]
    public void Unreachable_SaysSoReadably()
    {
        SignInAsDeveloper();
        ControlPlane.Unreachable(HttpMethod.Get, "/api/models");
        var cut = RenderPage<Catalog>();
        cut.WaitForAssertion(() => Assert.Contains("cannot be reached", cut.Find("[data-testid=api-error]").TextContent));
    }

    [Fact]
    public void Paging_IsAskedOfTheServer_WithTheUsersToken()
    {
        SignInAsDeveloper();
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(Data.Model()));
        var cut = RenderPage<Catalog>();
        cut.WaitForAssertion(() => Assert.True(ControlPlane.Sent(HttpMethod.Get, "/api/models")));
        var sent = ControlPlane.Last(HttpMethod.Get, "/api/models");
        Assert.Equal("1", sent.Query["page"]);
        Assert.Equal("25", sent.Query["pageSize"]);
        Assert.Equal($"Bearer {FixedTokenSource.Token}", sent.Authorization);
    }

    [Fact]
    public void NonDeveloper_GetsNoRequestAccessButton()
    {
        SignInAs(GatewayRoles.FinanceAnalyst);
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(Data.Model()));
        var cut = RenderPage<Catalog>();
        cut.WaitForAssertion(() => Assert.Contains("gpt-4o-mini-2024-07-18", cut.Markup));
        Assert.DoesNotContain("Request access", cut.Markup);
        Assert.Contains("Quick start", cut.Markup);
    }
}
