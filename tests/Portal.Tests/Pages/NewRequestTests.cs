using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Portal.Components.Pages.Requests;
using Gateway.Portal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Portal.Tests.Pages;

public sealed class NewRequestTests : PortalTestContext
{
    public NewRequestTests()
    {
        SignInAsDeveloper();
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(Data.Model()));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/requests/new?model=gpt-4o-mini");
    }

    [Fact]
    public void Loading_ThenTheForm()
    {
        var gate = ControlPlane.Hold(HttpMethod.Get, "/api/me", Data.Me(("team-risk", "Risk Analytics")));
        var cut = RenderPage<NewRequest>();
        Assert.NotEmpty(cut.FindAll("[data-testid=loading]"));
        gate.SetResult();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=request-submit]")));
    }

    [Fact]
    public void NoTeam_SaysWhoCanAddYou()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/me", Data.Me());
        var cut = RenderPage<NewRequest>();
        cut.WaitForAssertion(() => Assert.Contains("You are not a member of any team", cut.Find("[data-testid=empty-state]").TextContent));
    }

    [Fact]
    public void LoadError_ShowsTheApiMessage()
    {
        ControlPlane.Problem(HttpMethod.Get, "/api/me", HttpStatusCode.InternalServerError, "Internal error");
        var cut = RenderPage<NewRequest>();
        cut.WaitForAssertion(() => Assert.Contains("could not complete the request (500)", cut.Find("[data-testid=api-error]").TextContent));
        Assert.Contains("00-trace", cut.Find("[data-testid=api-error]").TextContent);
    }

    [Fact]
    public void Submit_SendsUseCaseJustificationAndVolume_ThenGoesToMyRequests()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/me", Data.Me(("team-risk", "Risk Analytics")));
        ControlPlane.Json(HttpMethod.Post, "/api/access-requests", Data.Request("req-new", TestUser.DefaultId), HttpStatusCode.Created);
        var cut = RenderPage<NewRequest>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=request-submit]")));
        cut.Find("textarea[data-testid=request-justification]").Input("Weekly committee pack.");
        cut.Find("input[data-testid=request-volume]").Input("2000000");
        cut.Find("button[data-testid=request-submit]").Click();

        cut.WaitForAssertion(() => Assert.True(ControlPlane.Sent(HttpMethod.Post, "/api/access-requests")));
        var body = ControlPlane.Last(HttpMethod.Post, "/api/access-requests").Json;
        Assert.Equal("team-risk", body.GetProperty("teamId").GetString());
        Assert.Equal("gpt-4o-mini", body.GetProperty("modelAlias").GetString());
        Assert.Equal("Use case: Chat assistant. Weekly committee pack.", body.GetProperty("justification").GetString());
        Assert.Equal(2_000_000, body.GetProperty("budget").GetProperty("monthlyTokens").GetInt64());
        Assert.Equal("internal", body.GetProperty("dataClassification").GetString());
        cut.WaitForAssertion(() => Assert.EndsWith("/requests", Services.GetRequiredService<NavigationManager>().Uri));
    }

    [Fact]
    public void Submit_ValidationErrors_AppearNextToTheirFields()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/me", Data.Me(("team-risk", "Risk Analytics")));
        ControlPlane.Problem(HttpMethod.Post, "/api/access-requests", HttpStatusCode.BadRequest, "One or more validation errors occurred.", errors: new()
        {
            ["justification"] = ["is required"],
            ["dataClassification"] = ["'gpt-4o-mini' is cleared for internal data at most"],
        });
        var cut = RenderPage<NewRequest>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=request-submit]")));
        cut.Find("button[data-testid=request-submit]").Click();
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("is required", cut.Find("textarea[data-testid=request-justification]").Closest(".mud-input-control")!.TextContent);
            Assert.Contains("cleared for internal data at most", cut.Markup);
        });
        Assert.Empty(cut.FindAll("[data-testid=api-error]"));
    }

    [Fact]
    public void Submit_Conflict_ShowsTheApiReason()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/me", Data.Me(("team-risk", "Risk Analytics")));
        ControlPlane.Problem(HttpMethod.Post, "/api/access-requests", HttpStatusCode.Conflict, "Conflict", "A request for 'gpt-4o-mini' by team 'team-risk' is already pending.");
        var cut = RenderPage<NewRequest>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=request-submit]")));
        cut.Find("button[data-testid=request-submit]").Click();
        cut.WaitForAssertion(() => Assert.Contains("is already pending", cut.Find("[data-testid=api-error]").TextContent));
    }
}
