using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Portal.Components.Layout;
using Gateway.Portal.Components.Pages.Admin;
using Gateway.Portal.Components.Shared;
using Gateway.Portal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Gateway.Portal.Tests.Pages;

/// <summary>Administration → Webhooks: what each webhook gets, whether it is signed, and how its deliveries go.</summary>
public sealed class WebhooksTests : PortalTestContext
{
    private static WebhookStatusDto Webhook(string name, long behind = 0, int failures = 0, string? error = null, bool signed = true, params string[] actions) => new(
        name, $"{name}.bank.internal", signed, actions, 41, behind, Data.Now.AddMinutes(-2), failures,
        failures > 0 ? Data.Now.AddMinutes(4) : null, error);

    public WebhooksTests() => SignInAs(GatewayRoles.PlatformAdmin);

    private IRenderedComponent<Webhooks> RenderWith(params WebhookStatusDto[] webhooks)
    {
        ControlPlane.Json(HttpMethod.Get, "/api/webhooks", webhooks);
        var cut = RenderPage<Webhooks>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=webhooks-grid]"));
        return cut;
    }

    [Theory]
    [InlineData(0, 0, null, "Up to date")]
    [InlineData(1, 0, null, "1 event waiting")]
    [InlineData(1200, 0, null, "1,200 events waiting")]
    [InlineData(7, 1, "no answer within 10 s", "Failing: no answer within 10 s, 1 attempt, next at 2026-11-26 10:04 UTC")]
    [InlineData(7, 3, "HTTP 503", "Failing: HTTP 503, 3 attempts, next at 2026-11-26 10:04 UTC")]
    public void Status_SaysHowDeliveriesGo_AndAFailureIsInTheErrorColour(long behind, int failures, string? error, string expected)
    {
        var cut = RenderWith(Webhook("approvals", behind, failures, error));
        var status = cut.Find("[data-testid=webhook-status-approvals]");
        Assert.Equal(expected, status.TextContent.Trim());
        Assert.Equal(failures > 0, status.ClassList.Contains("mud-error-text"));
    }

    [Fact]
    public void SignedAndUnsigned_AreChips_AndAnUnsignedOneSaysItCannotBeVerified()
    {
        var cut = RenderWith(Webhook("approvals", signed: true), Webhook("alerts", signed: false));
        Assert.Equal("Signed", cut.Find("[data-testid=webhook-signed-approvals]").TextContent.Trim());
        Assert.Equal("Unsigned", cut.Find("[data-testid=webhook-signed-alerts]").TextContent.Trim());
        var hints = cut.FindComponents<MudTooltip>().Select(t => t.Instance.Text).Where(t => t != Webhooks.TestHint).ToList();
        Assert.Equal([Webhooks.SignedHint, Webhooks.UnsignedHint], hints);
        Assert.Contains("cannot verify", Webhooks.UnsignedHint, StringComparison.Ordinal);
    }

    [Fact]
    public void AWebhookWithoutActions_GetsEveryEvent_OthersListTheirActionsAsChips()
    {
        var cut = RenderWith(Webhook("everything"), Webhook("approvals", actions: ["accessRequest.", "change.propose"]));
        var everything = cut.Find("[data-testid=webhook-actions-everything]");
        Assert.Equal("every event", everything.TextContent.Trim());
        Assert.Empty(everything.QuerySelectorAll(".mud-chip"));
        var chips = cut.Find("[data-testid=webhook-actions-approvals]").QuerySelectorAll(".mud-chip").Select(c => c.TextContent.Trim());
        Assert.Equal(["accessRequest.", "change.propose"], chips);
    }

    [Fact]
    public void ARow_ShowsTheHost_AndNothingElseOfWhereItSends()
    {
        var cut = RenderWith(new WebhookStatusDto("approvals", "chat-bridge.bank.internal", true, ["change.propose"], 41, 0, Data.Now.AddMinutes(-2), 0, null, null));
        var cells = cut.FindAll("[data-testid=webhooks-grid] tbody tr td").Select(c => System.Text.RegularExpressions.Regex.Replace(c.TextContent, @"\s+", " ").Trim());
        Assert.Equal(["approvals", "chat-bridge.bank.internal", "Signed", "change.propose", "Up to date at audit event 41", "2026-11-26 09:58 UTC", "Send test"], cells);
    }

    [Theory]
    [InlineData(true, null, "Test delivered: the receiver took it.", "mud-success-text")]
    [InlineData(false, "HTTP 503", "Test not delivered: HTTP 503.", "mud-error-text")]
    public void SendTest_AsksTheControlPlane_AndSaysWhatTheReceiverDid(bool delivered, string? error, string expected, string colour)
    {
        ControlPlane.Json(HttpMethod.Post, "/api/webhooks/approvals/test", new WebhookTestDto("approvals", delivered, error));
        var cut = RenderWith(Webhook("approvals"), Webhook("alerts"));
        Assert.Empty(cut.FindAll("[data-testid=webhook-test-result-approvals]"));

        cut.Find("[data-testid=webhook-test-approvals]").Click();

        cut.WaitForAssertion(() => Assert.Equal(expected, cut.Find("[data-testid=webhook-test-result-approvals]").TextContent.Trim()));
        Assert.Contains(colour, cut.Find("[data-testid=webhook-test-result-approvals]").ClassList);
        Assert.True(ControlPlane.Sent(HttpMethod.Post, "/api/webhooks/approvals/test"));
        Assert.False(ControlPlane.Sent(HttpMethod.Post, "/api/webhooks/alerts/test"));
        Assert.Empty(cut.FindAll("[data-testid=webhook-test-result-alerts]"));
    }

    [Fact]
    public void NoWebhook_SaysWhereTheyAreConfigured()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/webhooks", Array.Empty<WebhookStatusDto>());
        var cut = RenderPage<Webhooks>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=webhooks-empty]"));
        var empty = cut.Find("[data-testid=webhooks-empty]").TextContent;
        Assert.Contains("ControlPlane:Notifications:Webhooks", empty, StringComparison.Ordinal);
        Assert.Contains("control plane's README", empty, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=webhooks-grid]"));
    }

    [Fact]
    public void Refresh_ReadsTheStateAgain()
    {
        var cut = RenderWith(Webhook("approvals", behind: 2));
        Assert.Equal("2 events waiting", cut.Find("[data-testid=webhook-status-approvals]").TextContent.Trim());

        ControlPlane.Json(HttpMethod.Get, "/api/webhooks", new[] { Webhook("approvals") });
        cut.Find("[data-testid=webhooks-refresh]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Up to date", cut.Find("[data-testid=webhook-status-approvals]").TextContent.Trim()));
        Assert.Equal(2, ControlPlane.Requests.Count(r => r.Path == "/api/webhooks"));
    }

    [Fact]
    public void Error_ShowsTheApiMessage()
    {
        ControlPlane.Unreachable(HttpMethod.Get, "/api/webhooks");
        var cut = RenderPage<Webhooks>();
        cut.WaitForAssertion(() => Assert.Contains("cannot be reached", cut.Find("[data-testid=api-error]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=webhooks-grid]"));
        Assert.Empty(cut.FindAll("[data-testid=webhooks-empty]"));
    }

    [Theory]
    [InlineData(GatewayRoles.Developer)]
    [InlineData(GatewayRoles.Approver)]
    [InlineData(GatewayRoles.FinanceAnalyst)]
    public void OtherRoles_CannotReachThePage_NorSeeItInTheMenu(string role)
    {
        SignInAs(role);
        ControlPlane.Json(HttpMethod.Get, "/api/webhooks", new[] { Webhook("approvals") });
        var page = RenderThroughTheRouter();
        page.WaitForAssertion(() => page.Find("[data-testid=not-authorized]"));
        Assert.Empty(page.FindAll("[data-testid=webhooks-grid]"));
        Assert.False(ControlPlane.Sent(HttpMethod.Get, "/api/webhooks"));

        var menu = Render<NavMenu>();
        Assert.Empty(menu.FindAll("a[href='admin/webhooks']"));
    }

    [Fact]
    public void APlatformAdmin_ReachesThePage_FromTheMenu()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/webhooks", new[] { Webhook("approvals") });
        var page = RenderThroughTheRouter();
        page.WaitForAssertion(() => page.Find("[data-testid=webhooks-grid]"));
        Assert.Empty(page.FindAll("[data-testid=not-authorized]"));

        var menu = Render<NavMenu>();
        Assert.Equal("Webhooks", menu.Find("a[href='admin/webhooks']").TextContent.Trim());
    }

    /// <summary>The page as the Portal's router shows it: its own [Authorize] policy decides, and a refusal shows the not-authorized view.</summary>
    private IRenderedComponent<AuthorizeRouteView> RenderThroughTheRouter() => Render<AuthorizeRouteView>(p => p
        .Add(v => v.RouteData, new RouteData(typeof(Webhooks), new Dictionary<string, object?>()))
        .Add(v => v.NotAuthorized, (RenderFragment<AuthenticationState>)(_ => b =>
        {
            b.OpenComponent<NotAuthorizedView>(0);
            b.CloseComponent();
        })));
}
