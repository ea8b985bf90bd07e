using Gateway.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gateway.E2E.Tests.Journeys;

/// <summary>A platform admin's pages: the catalog with lifecycle and prices, the audit log with its chain status, the webhooks, the proxy fleet.</summary>
[Collection(JourneyCollection.Name)]
public sealed class AdministrationJourney(GatewaySystem system)
{
    [Fact]
    public async Task Admin_SeesCatalogAuditChainAndProxies()
    {
        Requirements.Check(system.Unavailable);
        await using var admin = await PortalSession.SignInAsync(system, "admin@demo.bank");
        await Expect(admin.Page.GetByTestId("nav-admin")).ToBeVisibleAsync();
        await Expect(admin.Page.GetByTestId("nav-developer")).ToHaveCountAsync(0);

        await admin.OpenAsync("admin/models", "Models and versions");
        await Expect(admin.Page.GetByTestId("admin-versions-gpt-4o")).ToContainTextAsync("gpt-4o-2024-11-20");
        await Expect(admin.Page.GetByTestId("admin-models")).ToContainTextAsync("10 % → gpt-4o-2024-11-20");
        await admin.ScreenshotAsync("admin-models");

        await admin.OpenAsync("admin/audit", "Audit log");
        await Expect(admin.Page.GetByTestId("chain-status")).ToContainTextAsync("Hash chain intact");
        await Expect(admin.Page.GetByTestId("audit-grid")).ToContainTextAsync("seed");
        await admin.ScreenshotAsync("audit");

        // The default run configures no webhook: the page says where to.
        await admin.OpenAsync("admin/webhooks", "Webhooks");
        await Expect(admin.Page.GetByTestId("webhooks-empty")).ToContainTextAsync("ControlPlane:Notifications:Webhooks");

        await admin.OpenAsync("admin/proxies", "Proxy nodes");
        await Expect(admin.Page.GetByTestId("current-revision")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-9][0-9]*$"));
        await admin.ScreenshotAsync("proxies");
    }
}
