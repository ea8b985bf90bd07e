using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Components.Pages.Approvals;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Pages;

public sealed class ApprovalQueueTests : PortalTestContext
{
    public ApprovalQueueTests()
    {
        SignInAs(GatewayRoles.Approver, GatewayRoles.Developer);
        ControlPlane.Json(HttpMethod.Get, "/api/subscriptions", Data.Page<SubscriptionDto>());
        ControlPlane.Json(HttpMethod.Get, "/api/models/gpt-4o-mini", Data.Model());
        ControlPlane.Json(HttpMethod.Get, "/api/models/claude-sonnet", Data.Model("claude-sonnet"));
    }

    [Fact]
    public void OwnRequest_HasNoActiveButtons_AndSaysWhy()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/access-requests", Data.Page(
            Data.Request("req-other", "user-dev2"), Data.Request("req-own", TestUser.DefaultId, model: "claude-sonnet")));
        var cut = RenderPage<ApprovalQueue>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("button[data-testid=approve]").Count));

        var buttons = cut.FindAll("button[data-testid=approve]");
        Assert.False(buttons[0].HasAttribute("disabled"));
        Assert.True(buttons[1].HasAttribute("disabled"));
        var reason = Assert.Single(cut.FindAll("[data-testid=own-request]"));
        Assert.Equal("Your own request: another approver must decide it (maker-checker).", reason.TextContent);
        Assert.Single(cut.FindAll("button[data-testid=reject]"));
    }

    [Fact]
    public void Queue_AsksTheServerForPendingRequests_OldestFirst()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/access-requests", Data.Page<AccessRequestDto>());
        var cut = RenderPage<ApprovalQueue>();
        cut.WaitForAssertion(() => Assert.Contains("No request is waiting for a decision.", cut.Markup));
        var sent = ControlPlane.Last(HttpMethod.Get, "/api/access-requests");
        Assert.Equal("pending", sent.Query["status"]);
        Assert.Equal("requestedAt", sent.Query["sort"]);
        Assert.Equal("asc", sent.Query["order"]);
    }

    [Fact]
    public void Approve_PrefillsRequestedBudgetAndDefaults_AndSendsThemWithTheStamp()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/access-requests", Data.Page(Data.Request("req-other", "user-dev2")));
        ControlPlane.Json(HttpMethod.Post, "/api/access-requests/req-other/approve", Data.Request("req-other", "user-dev2", AccessRequestStatus.Approved));
        var cut = RenderPage<ApprovalQueue>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button[data-testid=approve]")));
        cut.Find("button[data-testid=approve]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("button[data-testid=approve-confirm]")));
        Host.Find("button[data-testid=approve-confirm]").Click();

        Host.WaitForAssertion(() => Assert.True(ControlPlane.Sent(HttpMethod.Post, "/api/access-requests/req-other/approve")));
        var body = ControlPlane.Last(HttpMethod.Post, "/api/access-requests/req-other/approve").Json;
        Assert.Equal(2_000_000, body.GetProperty("budget").GetProperty("monthlyTokens").GetInt64());
        Assert.Equal(60, body.GetProperty("limits").GetProperty("requestsPerMinute").GetInt32());
        Assert.Equal(100_000, body.GetProperty("limits").GetProperty("tokensPerMinute").GetInt32());
        Assert.StartsWith("2027-11-26", body.GetProperty("endsAt").GetString());
        Assert.Equal("stamp-req-other", body.GetProperty("concurrencyStamp").GetString());
        Host.WaitForAssertion(() => Assert.Contains("Approved: subscription sub-team-risk-gpt-4o-mini is active.", Host.Markup));
    }

    [Fact]
    public void Approve_SaysWhatTheModelsLiveVersionsAreScreenedFor_CountingPatterns()
    {
        // The API gives an approver each pattern as *** (a pattern may name a confidential project).
        var model = Data.Model();
        var guard = new ContentGuardSpec(GuardAction.Block, [ContentDetector.PaymentCard]) { Patterns = [ContentGuardRules.HiddenPattern] };
        ControlPlane.Json(HttpMethod.Get, "/api/models/gpt-4o-mini", model with
        {
            Versions =
            [
                model.Versions[0] with { ContentGuard = guard },
                model.Versions[1],
                Data.Version("gpt-4o-mini", "gpt-4o-mini-2024-01-01", VersionStatus.Retired, 0.1m, 0.4m) with { ContentGuard = guard },
            ],
        });
        OpenApproveDialog();

        var screening = Host.Find("[data-testid=approve-screening]");
        var line = Assert.Single(screening.QuerySelectorAll(".mud-typography"));
        Assert.Equal("Requests to gpt-4o-mini-2024-07-18 are screened: one containing payment card numbers or text matching 1 pattern set by the platform team "
            + "is refused (400 content_policy_violation) and nothing is sent to the provider.", line.TextContent.Trim());
        Assert.DoesNotContain("***", Host.Find(".mud-dialog").TextContent);
    }

    [Fact]
    public void Approve_AModelWithoutAGuard_SaysNothingAboutScreening()
    {
        OpenApproveDialog();

        Assert.Empty(Host.FindAll("[data-testid=approve-screening]"));
        Assert.DoesNotContain("screened", Host.Find(".mud-dialog").TextContent);
    }

    [Fact]
    public void Approve_Refused_ShowsTheApiReasonInTheDialog()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/access-requests", Data.Page(Data.Request("req-other", "user-dev2")));
        ControlPlane.Problem(HttpMethod.Post, "/api/access-requests/req-other/approve", HttpStatusCode.Conflict, "Conflict", "The request changed since you read it; reload it.");
        var cut = RenderPage<ApprovalQueue>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button[data-testid=approve]")));
        cut.Find("button[data-testid=approve]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("button[data-testid=approve-confirm]")));
        Host.Find("button[data-testid=approve-confirm]").Click();
        Host.WaitForAssertion(() => Assert.Contains("The request changed since you read it; reload it.", Host.Find("[data-testid=api-error]").TextContent));
    }

    [Fact]
    public void Approve_ValidationErrors_AppearNextToTheirFields()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/access-requests", Data.Page(Data.Request("req-other", "user-dev2")));
        ControlPlane.Problem(HttpMethod.Post, "/api/access-requests/req-other/approve", HttpStatusCode.BadRequest, "One or more validation errors occurred.",
            errors: new() { ["limits.requestsPerMinute"] = ["must be 1 or more"] });
        var cut = RenderPage<ApprovalQueue>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button[data-testid=approve]")));
        cut.Find("button[data-testid=approve]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("button[data-testid=approve-confirm]")));
        Host.Find("button[data-testid=approve-confirm]").Click();
        Host.WaitForAssertion(() =>
        {
            var field = Host.Find("[data-testid=approve-rpm]").Closest(".mud-input-control")!;
            Assert.Contains("must be 1 or more", field.TextContent);
        });
    }

    [Fact]
    public void Error_ShowsTheApiMessage()
    {
        ControlPlane.Problem(HttpMethod.Get, "/api/access-requests", HttpStatusCode.Forbidden, "Forbidden", "Approvers only.");
        var cut = RenderPage<ApprovalQueue>();
        cut.WaitForAssertion(() => Assert.Contains("Approvers only.", cut.Find("[data-testid=api-error]").TextContent));
    }

    [Fact]
    public void Reject_SendsTheReason()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/access-requests", Data.Page(Data.Request("req-other", "user-dev2")));
        ControlPlane.Json(HttpMethod.Post, "/api/access-requests/req-other/reject", Data.Request("req-other", "user-dev2", AccessRequestStatus.Rejected));
        var cut = RenderPage<ApprovalQueue>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button[data-testid=reject]")));
        cut.Find("button[data-testid=reject]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("[data-testid=reject-reason] textarea, textarea[data-testid=reject-reason]")));
        var input = Host.Find("textarea");
        input.Change("Use the mini model first.");
        Host.Find("button[data-testid=reject-confirm]").Click();
        Host.WaitForAssertion(() => Assert.True(ControlPlane.Sent(HttpMethod.Post, "/api/access-requests/req-other/reject")));
        Assert.Equal("Use the mini model first.", ControlPlane.Last(HttpMethod.Post, "/api/access-requests/req-other/reject").Json.GetProperty("reason").GetString());
    }

    private void OpenApproveDialog()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/access-requests", Data.Page(Data.Request("req-other", "user-dev2")));
        var cut = RenderPage<ApprovalQueue>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button[data-testid=approve]")));
        cut.Find("button[data-testid=approve]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("button[data-testid=approve-confirm]")));
        // The dialog has read the model once its versions are offered to pin.
        Host.Find("[data-testid=approve-pin]").Closest(".mud-input-control")!.MouseDown();
        Host.WaitForAssertion(() => Assert.Contains(Host.FindAll(".mud-popover-open .mud-list-item"), i => i.TextContent.Trim() == "gpt-4o-mini-2024-07-18"));
    }
}
