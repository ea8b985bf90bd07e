using System.Text.RegularExpressions;
using Gateway.Contracts.Demo;
using Gateway.Contracts.Keys;
using Gateway.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gateway.E2E.Tests.Journeys;

/// <summary>
/// Change control on (four eyes): a platform admin's price change waits for a second platform
/// admin; its proposer cannot approve it; the second admin approves it and the catalog shows it.
/// In an incident one admin suspends a provider at once, and its return waits for the second.
/// </summary>
[Collection(ChangeControlCollection.Name)]
public sealed partial class ChangeControlJourney(ChangeControlSystem system)
{
    private const string NewInputPrice = "0.1234";

    [Fact]
    public async Task APriceChange_WaitsForASecondAdmin_WhoApprovesIt()
    {
        Requirements.Check(system.Unavailable);
        await using var admin = await PortalSession.SignInAsync(system, "admin@demo.bank");

        // The demo world has one platform admin: admin@demo.bank makes dev2 a second (the only admin's grant is not held).
        await EnsureSecondAdminAsync(admin);

        // The admin changes a price: it is held, not applied.
        await admin.OpenAsync("admin/models", "Models and versions");
        var version = VersionRow(admin.Page.GetByTestId("admin-versions-gpt-4o-mini"));
        await version.GetByRole(AriaRole.Button, new() { Name = "Prices" }).ClickAsync();
        var dialog = admin.Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Input / 1M", new() { Exact = true }).FillAsync(NewInputPrice);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save prices" }).ClickAsync();
        var notice = admin.Page.Locator(".mud-snackbar").Filter(new() { HasText = "Sent for a second admin's approval" });
        await Expect(notice).ToBeVisibleAsync();
        var changeId = ChangeId().Match(await notice.InnerTextAsync()).Value;
        Assert.NotEmpty(changeId);
        await Expect(admin.Page.GetByTestId("api-error")).ToHaveCountAsync(0);
        await Expect(version).ToContainTextAsync("0.15, ");
        await Expect(version).Not.ToContainTextAsync(NewInputPrice);

        // Its proposer sees it waiting, and cannot approve it.
        await admin.OpenAsync("admin/changes", "Changes");
        var own = admin.Page.GetByTestId("changes-grid").Locator("tr").Filter(new() { HasText = changeId });
        await Expect(own.GetByTestId("own-change")).ToHaveTextAsync("Your own change: another platform admin must approve it (four eyes).");
        await Expect(own.GetByTestId("approve")).ToBeDisabledAsync();
        await Expect(admin.Page.GetByTestId("changes-grid")).ToContainTextAsync(NewInputPrice);
        await admin.ScreenshotAsync("changes");

        // The second admin approves it; the catalog shows the new price.
        await using var second = await PortalSession.SignInAsync(system, "dev2@demo.bank");
        await second.OpenAsync("admin/changes", "Changes");
        var pending = second.Page.GetByTestId("changes-grid").Locator("tr").Filter(new() { HasText = changeId });
        await Expect(pending).ToContainTextAsync("admin@demo.bank");
        await pending.GetByTestId("approve").ClickAsync();
        await second.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Approve and apply" }).ClickAsync();
        await Expect(second.Page.Locator(".mud-snackbar")).ToContainTextAsync($"Applied {changeId}.");
        await Expect(second.Page.GetByTestId("api-error")).ToHaveCountAsync(0);

        await second.OpenAsync("catalog", "Model catalog");
        await Expect(VersionRow(second.Page.GetByTestId("versions-gpt-4o-mini"))).ToContainTextAsync($"{NewInputPrice} USD");
    }

    [Fact]
    public async Task AnIncident_OneAdminSuspendsAProviderAtOnce_ItsReturnWaitsForASecond()
    {
        Requirements.Check(system.Unavailable);
        var ct = TestContext.Current.CancellationToken;
        var claude = ProxyClient.Chat(system, "claude-sonnet", DemoKeys.Key);
        await ProxyClient.CompleteOnceAcceptedAsync(claude, "Hello", TimeSpan.FromSeconds(10), ct);
        await using var admin = await PortalSession.SignInAsync(system, "admin@demo.bank");
        await EnsureSecondAdminAsync(admin);

        // One admin cuts the provider off, at once: its only model answers 503.
        await admin.OpenAsync("admin/providers", "Providers");
        var row = admin.Page.GetByTestId("providers-grid").Locator("tr").Filter(new() { HasText = DemoCatalog.AnthropicProvider });
        await row.GetByTestId("suspend").ClickAsync();
        await admin.Page.GetByRole(AriaRole.Dialog).GetByLabel("Reason").FillAsync("Provider breach notice INC-42");
        await admin.Page.GetByTestId("provider-suspend-confirm").ClickAsync();
        await Expect(row.GetByTestId("provider-suspended")).ToBeVisibleAsync();
        Assert.Equal(503, await ProxyClient.StatusOnceRefusedAsync(claude, TimeSpan.FromSeconds(10), ct));

        // Giving the traffic back is held for the second admin, who approves it; the model serves again.
        await row.GetByTestId("resume").ClickAsync();
        await admin.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        var notice = admin.Page.Locator(".mud-snackbar").Filter(new() { HasText = "Sent for a second admin's approval" });
        await Expect(notice).ToBeVisibleAsync();
        var changeId = ChangeId().Match(await notice.InnerTextAsync()).Value;
        Assert.Equal(503, await ProxyClient.StatusOnceRefusedAsync(claude, TimeSpan.Zero, ct));

        await using var second = await PortalSession.SignInAsync(system, "dev2@demo.bank");
        await second.OpenAsync("admin/changes", "Changes");
        var pending = second.Page.GetByTestId("changes-grid").Locator("tr").Filter(new() { HasText = changeId });
        await pending.GetByTestId("approve").ClickAsync();
        await second.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Approve and apply" }).ClickAsync();
        await Expect(second.Page.Locator(".mud-snackbar")).ToContainTextAsync($"Applied {changeId}.");
        await ProxyClient.CompleteOnceAcceptedAsync(claude, "Back?", TimeSpan.FromSeconds(10), ct, untilNot: 503);
    }

    /// <summary>dev2 a platform admin too (granted at once while admin@demo.bank is the only one), whichever journey runs first.</summary>
    private static async Task EnsureSecondAdminAsync(PortalSession admin)
    {
        await admin.OpenAsync("admin/users", "Users and roles");
        var dev2 = admin.Page.GetByTestId("users-grid").Locator("tr").Filter(new() { HasText = "dev2@demo.bank" });
        await Expect(dev2).ToBeVisibleAsync();
        if ((await dev2.InnerTextAsync()).Contains("PlatformAdmin", StringComparison.Ordinal)) return;
        await dev2.GetByRole(AriaRole.Button, new() { Name = "Roles" }).ClickAsync();
        await admin.Page.Locator("input[data-testid=role-PlatformAdmin]").CheckAsync();
        await admin.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dev2).ToContainTextAsync("PlatformAdmin");
    }

    /// <summary>The row of gpt-4o-mini-2024-07-18 (not the older version whose successor it is).</summary>
    private static ILocator VersionRow(ILocator versions) => versions.Locator("tbody tr").Filter(new() { HasTextRegex = new Regex(@"^\s*gpt-4o-mini-2024-07-18") });

    [GeneratedRegex(@"chg-[\w-]+")]
    private static partial Regex ChangeId();
}
