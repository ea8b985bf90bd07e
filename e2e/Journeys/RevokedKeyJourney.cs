using Gateway.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gateway.E2E.Tests.Journeys;

/// <summary>A key that worked is revoked in the Portal; the proxy refuses it from then on.</summary>
[Collection(JourneyCollection.Name)]
public sealed class RevokedKeyJourney(GatewaySystem system)
{
    [Fact]
    public async Task RevokedKey_IsRefusedByTheProxy()
    {
        Requirements.Check(system.Unavailable);
        var ct = TestContext.Current.CancellationToken;
        await using var developer = await PortalSession.SignInAsync(system, "dev@demo.bank");

        // team-demo has subscriptions to every demo model.
        await developer.OpenAsync("keys", "API keys");
        await developer.Page.GetByTestId("create-key").ClickAsync();
        await developer.Page.GetByLabel("Application").FillAsync("short-lived-batch");
        await developer.Page.GetByTestId("key-create-confirm").ClickAsync();
        var key = await developer.Page.GetByRole(AriaRole.Dialog).GetByLabel("API key").InputValueAsync();
        await developer.Page.GetByTestId("key-done").ClickAsync();

        var chat = ProxyClient.Chat(system, "gpt-4o", key);
        var completion = await ProxyClient.CompleteOnceAcceptedAsync(chat, "Hello", TimeSpan.FromSeconds(20), ct);
        Assert.NotEmpty(completion.Content);

        var row = developer.Page.GetByTestId("keys-grid").Locator("tr").Filter(new() { HasText = "short-lived-batch" });
        await row.GetByTestId("revoke-key").ClickAsync();
        await developer.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Expect(developer.Page.GetByText("revoked.")).ToBeVisibleAsync();

        Assert.Equal(401, await ProxyClient.StatusOnceRefusedAsync(chat, TimeSpan.FromSeconds(10), ct));
    }
}
