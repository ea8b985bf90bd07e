using System.ClientModel;
using System.Diagnostics;
using Gateway.Contracts.Keys;
using Gateway.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using OpenAI.Chat;
using static Microsoft.Playwright.Assertions;

namespace Gateway.E2E.Tests.Journeys;

/// <summary>
/// A platform admin guards a model version in the portal, and the proxies enforce it: the version's
/// requests holding the admin's pattern are refused (400 content_policy_violation) once the next
/// snapshot arrives, and served again when the guard is switched off.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class ContentGuardJourney(GatewaySystem system)
{
    private const string Version = "gpt-4o-2024-11-20";
    private const string Prompt = "What is the status of FALCON-2026?";

    [Fact]
    public async Task Admin_GuardsAVersionInThePortal_AndTheProxyRefusesWhatItFinds()
    {
        Requirements.Check(system.Unavailable);
        var ct = TestContext.Current.CancellationToken;
        await using var admin = await PortalSession.SignInAsync(system, "admin@demo.bank");
        await admin.OpenAsync("admin/models", "Models and versions");
        await Expect(admin.Page.GetByTestId("guard-gpt-4o-2024-08-06")).ToHaveTextAsync("Blocks: payment card, IBAN, credential");
        await Expect(admin.Page.GetByTestId($"guard-{Version}")).ToHaveTextAsync("—");

        var chat = ProxyClient.Chat(system, Version, DemoKeys.Key);
        await ProxyClient.CompleteOnceAcceptedAsync(chat, Prompt, TimeSpan.FromSeconds(20), ct);

        await SaveGuardAsync(admin, enable: true, pattern: "FALCON-[0-9]{4}");
        await Expect(admin.Page.GetByTestId($"guard-{Version}")).ToHaveTextAsync("Blocks: payment card, IBAN, credential, 1 pattern");

        var refused = await RefusedAsync(chat, TimeSpan.FromSeconds(20), ct);
        Assert.Equal(400, refused.Status);
        Assert.Contains("content_policy_violation", refused.Message, StringComparison.Ordinal);
        Assert.Contains("blocked patterns", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("FALCON-2026", refused.Message, StringComparison.Ordinal);

        // Switched off, the same prompt is served again (the next snapshot).
        await SaveGuardAsync(admin, enable: false, pattern: null);
        await Expect(admin.Page.GetByTestId($"guard-{Version}")).ToHaveTextAsync("—");
        await ProxyClient.CompleteOnceAcceptedAsync(chat, Prompt, TimeSpan.FromSeconds(20), ct, untilNot: 400);
    }

    private static async Task SaveGuardAsync(PortalSession admin, bool enable, string? pattern)
    {
        await admin.Page.GetByTestId($"guard-edit-{Version}").ClickAsync();
        var dialog = admin.Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByText("Screen requests to this version (content guard)").ClickAsync();
        if (enable)
        {
            await Expect(dialog.GetByTestId("guard-action-block")).ToBeVisibleAsync();
            await dialog.GetByLabel("Further patterns (optional)").FillAsync(pattern!);
            // Trying it out runs the proxies' own detectors in the portal, on the guard as edited.
            await dialog.GetByTestId("guard-try").FillAsync("Card 4111 1111 1111 1111 for " + Prompt);
            await Expect(dialog.GetByTestId("guard-try-result")).ToContainTextAsync("Blocked: payment-card×1, pattern×1");
            await dialog.GetByTestId("guard-try-result").ScrollIntoViewIfNeededAsync();
            await admin.ScreenshotAsync("content-guard");
        }
        await dialog.GetByTestId("guard-save").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
    }

    /// <summary>Calls with the prompt until the proxy refuses it (the guard arrives with the next snapshot). Bounded.</summary>
    private static async Task<ClientResultException> RefusedAsync(ChatClient chat, TimeSpan within, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await chat.CompleteChatAsync([new UserChatMessage(Prompt)], cancellationToken: ct);
            }
            catch (ClientResultException ex)
            {
                return ex;
            }
            Assert.True(clock.Elapsed < within, $"the proxy still served {Version} after {within}");
            await Task.Delay(250, ct);
        }
    }
}
