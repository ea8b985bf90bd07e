using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Portal.Components.Pages.Approvals;
using Gateway.Portal.Components.Pages.Home;
using Gateway.Portal.Components.Pages.QuickStart;
using Gateway.Portal.Components.Pages.Requests;
using Gateway.Portal.Components.Pages.Usage;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Pages;

public sealed class HomeTests : PortalTestContext
{
    public HomeTests() => SignInAsDeveloper();

    [Fact]
    public void Loading_ThenRolesAndTeams()
    {
        var gate = ControlPlane.Hold(HttpMethod.Get, "/api/me", Data.Me(("team-risk", "Risk Analytics")));
        var cut = RenderPage<Home>();
        Assert.NotEmpty(cut.FindAll("[data-testid=loading]"));
        gate.SetResult();
        cut.WaitForAssertion(() => Assert.Contains("Risk Analytics (team-risk)", cut.Markup));
        Assert.Contains("Developer", cut.Markup);
    }

    [Fact]
    public void NoTeams_SaysSo()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/me", Data.Me());
        var cut = RenderPage<Home>();
        cut.WaitForAssertion(() => Assert.Contains("You are not a member of any team.", cut.Markup));
    }

    [Fact]
    public void SessionExpired_OffersToSignInAgain()
    {
        ControlPlane.Problem(HttpMethod.Get, "/api/me", HttpStatusCode.Unauthorized, "Unauthorized");
        var cut = RenderPage<Home>();
        cut.WaitForAssertion(() => Assert.Contains("Your session has expired", cut.Find("[data-testid=api-error]").TextContent));
        Assert.Contains("account/signin?returnUrl=", cut.Find("[data-testid=api-error] a").GetAttribute("href"));
    }
}

public sealed class MyRequestsTests : PortalTestContext
{
    public MyRequestsTests() => SignInAsDeveloper();

    [Fact]
    public void Data_ShowsStatusAndDecision_AndOnlyOwnPendingCanBeCancelled()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/access-requests", Data.Page(
            Data.Request("req-1", TestUser.DefaultId), Data.Request("req-2", TestUser.DefaultId, AccessRequestStatus.Rejected, "claude-sonnet")));
        var cut = RenderPage<MyRequests>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=request-status]").Count));
        Assert.Equal(["pending", "rejected"], cut.FindAll("[data-testid=request-status]").Select(e => e.TextContent.Trim()));
        Assert.Contains("Use the mini model first.", cut.Markup);
        Assert.Single(cut.FindAll("button"), b => b.TextContent.Trim() == "Cancel");
        Assert.Equal("true", ControlPlane.Last(HttpMethod.Get, "/api/access-requests").Query["mine"]);
    }

    [Fact]
    public void Empty_SaysSo()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/access-requests", Data.Page<AccessRequestDto>());
        var cut = RenderPage<MyRequests>();
        cut.WaitForAssertion(() => Assert.Contains("No access requests yet.", cut.Markup));
    }
}

public sealed class ApprovalHistoryTests : PortalTestContext
{
    public ApprovalHistoryTests() => SignInAs("Approver");

    [Fact]
    public void Data_ShowsDecisions_SortedByDecisionTime()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/access-requests", Data.Page(Data.Request("req-1", "user-dev2", AccessRequestStatus.Approved)));
        var cut = RenderPage<ApprovalHistory>();
        cut.WaitForAssertion(() => Assert.Contains("sub-team-risk-gpt-4o-mini", cut.Markup));
        var sent = ControlPlane.Last(HttpMethod.Get, "/api/access-requests");
        Assert.Equal("approved", sent.Query["status"]);
        Assert.Equal("decidedAt", sent.Query["sort"]);
    }

    [Fact]
    public void Empty_SaysSo()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/access-requests", Data.Page<AccessRequestDto>());
        var cut = RenderPage<ApprovalHistory>();
        cut.WaitForAssertion(() => Assert.Contains("No decisions of this kind yet.", cut.Markup));
    }
}

public sealed class TeamUsageTests : PortalTestContext
{
    public TeamUsageTests()
    {
        SignInAsDeveloper();
        ControlPlane.Json(HttpMethod.Get, "/api/me", Data.Me(("team-risk", "Risk Analytics")));
        ControlPlane.Json(HttpMethod.Get, "/api/usage/records", Data.Page<UsageRecordDto>());
    }

    [Fact]
    public void Data_ShowsWhatIsLeftOfEachBudget()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/subscriptions", Data.Page(Data.Subscription("gpt-4o-mini", 1_000_000, 250_000)));
        ControlPlane.Json(HttpMethod.Get, "/api/usage/summary", Data.Page(new UsageSummaryRow("gpt-4o-mini-2024-07-18", "USD", 12, 200_000, 0, 50_000, 250_000, 1.25m)));
        var cut = RenderPage<TeamUsage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=budget-gpt-4o-mini]")));
        Assert.Contains("250,000 of 1,000,000 used, 750,000 left", cut.Find("[data-testid=budget-gpt-4o-mini]").TextContent);
        Assert.Contains("1.25 USD", cut.Find("[data-testid=usage-by-version]").TextContent);
        var summary = ControlPlane.Last(HttpMethod.Get, "/api/usage/summary");
        Assert.Equal("modelVersion", summary.Query["groupBy"]);
        Assert.Equal("2026-11-01T00:00:00Z", summary.Query["from"]);
    }

    [Fact]
    public void NoSubscription_SaysToRequestAccess()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/subscriptions", Data.Page<SubscriptionDto>());
        ControlPlane.Json(HttpMethod.Get, "/api/usage/summary", Data.Page<UsageSummaryRow>());
        var cut = RenderPage<TeamUsage>();
        cut.WaitForAssertion(() => Assert.Contains("This team has no active subscription.", cut.Markup));
        Assert.Contains("No usage this month yet.", cut.Markup);
    }

    [Fact]
    public void Error_ShowsTheApiMessage()
    {
        ControlPlane.Problem(HttpMethod.Get, "/api/subscriptions", HttpStatusCode.Forbidden, "Forbidden", "Not your team.");
        ControlPlane.Json(HttpMethod.Get, "/api/usage/summary", Data.Page<UsageSummaryRow>());
        var cut = RenderPage<TeamUsage>();
        cut.WaitForAssertion(() => Assert.Contains("Not your team.", cut.Find("[data-testid=api-error]").TextContent));
    }
}

public sealed class QuickStartTests : PortalTestContext
{
    [Fact]
    public void Snippets_UseTheProxyUrlAndTheChosenModel_AndTheKeyFromTheEnvironment()
    {
        SignInAsDeveloper();
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(Data.Model()));
        var cut = RenderPage<QuickStart>();
        cut.WaitForAssertion(() => Assert.Contains("curl http://proxy.test:5080/v1/chat/completions", cut.Markup));
        Assert.Contains("\"model\": \"gpt-4o-mini\"", cut.Markup);
        Assert.Contains("$GATEWAY_API_KEY", cut.Markup);
        Assert.DoesNotContain("sk-gw-", cut.Markup);
    }

    [Fact]
    public void EachLanguage_NamesItsClientAndEndpoint()
    {
        var python = Snippets.Python("http://proxy:5080/", "gpt-4o", Gateway.Contracts.Snapshot.ModelKind.Chat);
        Assert.Contains("OpenAI(base_url=\"http://proxy:5080/v1\"", python);
        var dotnet = Snippets.DotNet("http://proxy:5080", "text-embedding-3-small", Gateway.Contracts.Snapshot.ModelKind.Embeddings);
        Assert.Contains("EmbeddingClient client = new(\"text-embedding-3-small\"", dotnet);
        Assert.Contains("new Uri(\"http://proxy:5080/v1\")", dotnet);
    }
}
