using Gateway.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gateway.E2E.Tests.Journeys;

/// <summary>An approver who asks for a model cannot approve their own request; the button says why.</summary>
[Collection(JourneyCollection.Name)]
public sealed class MakerCheckerJourney(GatewaySystem system)
{
    [Fact]
    public async Task ApproverCannotApproveOwnRequest_ButtonSaysWhy()
    {
        Requirements.Check(system.Unavailable);
        await using var approver = await PortalSession.SignInAsync(system, "approver@demo.bank");

        // The approver is also a developer in team-risk: they ask for claude-sonnet.
        await approver.OpenAsync("requests/new?model=claude-sonnet", "Request access to a model");
        await approver.Page.GetByLabel("Justification").FillAsync("Draft model-risk reviews with a second model family.");
        await approver.Page.GetByTestId("request-submit").ClickAsync();
        await Expect(approver.Page.GetByRole(AriaRole.Heading, new() { Name = "My access requests" })).ToBeVisibleAsync();

        await approver.OpenAsync("approvals", "Pending access requests");
        var own = approver.Page.GetByTestId("approval-queue").Locator("tr").Filter(new() { HasText = "claude-sonnet" }).Filter(new() { HasText = "team-risk" });
        await Expect(own.GetByTestId("approve")).ToBeDisabledAsync();
        await Expect(own.GetByTestId("own-request")).ToHaveTextAsync("Your own request: another approver must decide it (maker-checker).");
        await Expect(own.GetByTestId("reject")).ToHaveCountAsync(0);
        await Expect(approver.Page.GetByTestId("justification").Filter(new() { HasText = "Draft model-risk reviews" })).ToBeVisibleAsync();
        await approver.ScreenshotAsync("approvals-queue");
    }

    [Fact]
    public async Task Navigation_ShowsOnlyWhatTheRoleMayUse()
    {
        Requirements.Check(system.Unavailable);
        await using var developer = await PortalSession.SignInAsync(system, "dev@demo.bank");
        await Expect(developer.Page.GetByTestId("nav-developer")).ToBeVisibleAsync();
        await Expect(developer.Page.GetByTestId("nav-approver")).ToHaveCountAsync(0);
        await Expect(developer.Page.GetByTestId("nav-finance")).ToHaveCountAsync(0);
        await Expect(developer.Page.GetByTestId("nav-admin")).ToHaveCountAsync(0);

        // A page the role may not use, opened by its address, says so instead of failing.
        await developer.Page.GotoAsync("admin/audit");
        await Expect(developer.Page.GetByTestId("not-authorized")).ToBeVisibleAsync();

        await using var finance = await PortalSession.SignInAsync(system, "finance@demo.bank");
        await Expect(finance.Page.GetByTestId("nav-finance")).ToBeVisibleAsync();
        await Expect(finance.Page.GetByTestId("nav-developer")).ToHaveCountAsync(0);
        await Expect(finance.Page.GetByTestId("nav-admin")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Layout_WorksOnANarrowWindow()
    {
        Requirements.Check(system.Unavailable);
        await using var developer = await PortalSession.SignInAsync(system, "dev@demo.bank");
        await developer.Page.SetViewportSizeAsync(400, 800);
        await developer.OpenAsync("catalog", "Model catalog");
        // The drawer folds away; the menu button brings it back; the page itself never scrolls sideways.
        // Wait for the drawer's own closed state (its breakpoint check runs after the first render), then open it.
        await Expect(developer.Page.Locator(".mud-drawer.mud-drawer--closed")).ToHaveCountAsync(1);
        await Expect(developer.Page.GetByRole(AriaRole.Link, new() { Name = "API keys" })).Not.ToBeInViewportAsync();
        await developer.Page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await Expect(developer.Page.GetByRole(AriaRole.Link, new() { Name = "API keys" })).ToBeInViewportAsync();
        await developer.Page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await Expect(developer.Page.GetByRole(AriaRole.Heading, new() { Name = "API keys", Level = 1 })).ToBeVisibleAsync();
        var overflow = await developer.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the page scrolls sideways at 400 px");
    }
}
