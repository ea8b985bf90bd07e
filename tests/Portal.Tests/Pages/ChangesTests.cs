using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Portal.Components.Pages.Admin;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Pages;

/// <summary>The Changes page: platform admins see held catalog, provider and role changes and decide those of others.</summary>
public sealed class ChangesTests : PortalTestContext
{
    public ChangesTests() => SignInAs(GatewayRoles.PlatformAdmin);

    [Fact]
    public void Pending_ShowProposerTimeSummaryAndTheChangedFields()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/changes", Data.Page(Data.Change("chg-1", "user-admin2")));
        var cut = RenderPage<Changes>();
        cut.WaitForAssertion(() => Assert.Contains("model.version.prices modelVersion 'gpt-4o-mini-2024-07-18'", cut.Find("[data-testid=change-summary]").TextContent));

        var grid = cut.Find("[data-testid=changes-grid]").TextContent;
        Assert.Contains("user-admin2@demo.bank", grid);
        Assert.Contains("2026-11-26 09:30 UTC", grid);
        var diff = cut.FindAll("[data-testid=change-diff] tbody tr").Select(r => string.Join("|", r.Children.Select(c => c.TextContent.Trim()))).ToList();
        Assert.Equal(["inputPerMillion|0.15|0.2"], diff);
        Assert.Contains("PUT /api/models/gpt-4o-mini/versions/gpt-4o-mini-2024-07-18/prices", cut.Markup);
        var sent = ControlPlane.Last(HttpMethod.Get, "/api/changes");
        Assert.Equal("pending", sent.Query["status"]);
        Assert.Equal("1", sent.Query["page"]);
    }

    [Fact]
    public void StatusFilter_AsksTheServerForThatStatus()
    {
        ControlPlane.Respond(HttpMethod.Get, "/api/changes", request => request.RequestUri!.Query.Contains("status=applied", StringComparison.Ordinal)
            ? Data.Page(Data.Change("chg-done", "user-admin2", ChangeStatus.Applied))
            : Data.Page<ChangeDto>());
        var cut = RenderPage<Changes>();
        cut.WaitForAssertion(() => Assert.Contains("No change is waiting for a second admin.", cut.Markup));

        cut.Find("[data-testid=change-status-filter]").Closest(".mud-input-control")!.MouseDown();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll(".mud-popover-open .mud-list-item")));
        Host.FindAll(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == "applied").Click();

        cut.WaitForAssertion(() => Assert.Equal("applied", cut.Find("[data-testid=change-status]").TextContent.Trim()));
        Assert.Contains("by admin2@demo.bank, 2026-11-26 10:00 UTC", cut.Find("[data-testid=changes-grid]").TextContent);
        Assert.Empty(cut.FindAll("button[data-testid=approve]"));
    }

    [Fact]
    public void Approve_AppliesAnotherAdminsChange_AndSaysSo()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/changes", Data.Page(Data.Change("chg-1", "user-admin2")));
        ControlPlane.Json(HttpMethod.Post, "/api/changes/chg-1/approve", Data.Change("chg-1", "user-admin2", ChangeStatus.Applied));
        var cut = RenderPage<Changes>();
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=approve]").HasAttribute("disabled")));
        Assert.Empty(cut.FindAll("[data-testid=own-change]"));

        cut.Find("button[data-testid=approve]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll(".mud-dialog button")));
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Approve and apply").Click();

        Host.WaitForAssertion(() => Assert.Contains("Applied chg-1.", Host.Markup));
        Assert.True(ControlPlane.Sent(HttpMethod.Post, "/api/changes/chg-1/approve"));
        Assert.Null(ControlPlane.Last(HttpMethod.Post, "/api/changes/chg-1/approve").Body);
        Assert.Empty(cut.FindAll("[data-testid=api-error]"));
    }

    [Fact]
    public void Approve_RefusedAsOnesOwn_ShowsTheProblemDetail()
    {
        // The page thinks someone else proposed it; the control plane has the last word (403).
        ControlPlane.Json(HttpMethod.Get, "/api/changes", Data.Page(Data.Change("chg-1", "user-admin2")));
        ControlPlane.Problem(HttpMethod.Post, "/api/changes/chg-1/approve", HttpStatusCode.Forbidden, "Forbidden",
            "You cannot approve your own change (four eyes): another platform admin must.");
        var cut = RenderPage<Changes>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button[data-testid=approve]")));

        cut.Find("button[data-testid=approve]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll(".mud-dialog button")));
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Approve and apply").Click();

        cut.WaitForAssertion(() => Assert.Equal("You cannot approve your own change (four eyes): another platform admin must.", cut.Find("[data-testid=api-error]").TextContent.Trim()));
        Assert.DoesNotContain("Applied chg-1.", Host.Markup);
    }

    [Fact]
    public void Approve_NoLongerApplies_SaysWhy()
    {
        var failed = Data.Change("chg-1", "user-admin2") with
        {
            Status = ChangeStatus.Failed,
            Result = new ChangeResultDto(409, """{"title":"Conflict","status":409,"detail":"The version changed since the change was proposed."}"""),
        };
        ControlPlane.Json(HttpMethod.Get, "/api/changes", Data.Page(Data.Change("chg-1", "user-admin2")));
        ControlPlane.Json(HttpMethod.Post, "/api/changes/chg-1/approve", failed);
        var cut = RenderPage<Changes>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button[data-testid=approve]")));
        cut.Find("button[data-testid=approve]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll(".mud-dialog button")));
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Approve and apply").Click();

        Host.WaitForAssertion(() => Assert.Contains("chg-1 no longer applies and was not applied: The version changed since the change was proposed.", Host.Markup));
        Assert.DoesNotContain("Applied chg-1.", Host.Markup);
    }

    [Fact]
    public void OwnChange_CannotBeApproved_ButCanBeWithdrawn()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/changes", Data.Page(Data.Change("chg-own", TestUser.DefaultId)));
        ControlPlane.Json(HttpMethod.Post, "/api/changes/chg-own/withdraw", Data.Change("chg-own", TestUser.DefaultId, ChangeStatus.Withdrawn));
        var cut = RenderPage<Changes>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=own-change]")));

        Assert.True(cut.Find("button[data-testid=approve]").HasAttribute("disabled"));
        Assert.Equal(Changes.OwnChangeReason, cut.Find("[data-testid=own-change]").TextContent);
        Assert.Empty(cut.FindAll("button[data-testid=reject]"));

        cut.Find("button[data-testid=withdraw]").Click();
        Host.WaitForAssertion(() => Assert.Contains("Withdrew chg-own.", Host.Markup));
        Assert.True(ControlPlane.Sent(HttpMethod.Post, "/api/changes/chg-own/withdraw"));
        Assert.False(ControlPlane.Sent(HttpMethod.Post, "/api/changes/chg-own/approve"));
    }

    [Fact]
    public void Reject_SendsTheReason()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/changes", Data.Page(Data.Change("chg-1", "user-admin2")));
        ControlPlane.Json(HttpMethod.Post, "/api/changes/chg-1/reject", Data.Change("chg-1", "user-admin2", ChangeStatus.Rejected));
        var cut = RenderPage<Changes>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button[data-testid=reject]")));

        cut.Find("button[data-testid=reject]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll(".mud-dialog textarea")));
        Host.Find(".mud-dialog textarea").Change("Prices change on the first of the month.");
        Host.Find("button[data-testid=change-reject-confirm]").Click();

        Host.WaitForAssertion(() => Assert.Contains("Rejected chg-1; nothing was changed.", Host.Markup));
        Assert.Equal("Prices change on the first of the month.", ControlPlane.Last(HttpMethod.Post, "/api/changes/chg-1/reject").Json.GetProperty("reason").GetString());
    }

    [Fact]
    public void Reject_WithoutAReason_ShowsTheFieldError()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/changes", Data.Page(Data.Change("chg-1", "user-admin2")));
        ControlPlane.Problem(HttpMethod.Post, "/api/changes/chg-1/reject", HttpStatusCode.BadRequest, "One or more validation errors occurred.",
            errors: new() { ["reason"] = ["is required"] });
        var cut = RenderPage<Changes>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button[data-testid=reject]")));
        cut.Find("button[data-testid=reject]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("button[data-testid=change-reject-confirm]")));
        Host.Find("button[data-testid=change-reject-confirm]").Click();
        Host.WaitForAssertion(() => Assert.Contains("is required", Host.Find(".mud-dialog").TextContent));
        Assert.DoesNotContain("Rejected chg-1", Host.Markup);
    }
}
