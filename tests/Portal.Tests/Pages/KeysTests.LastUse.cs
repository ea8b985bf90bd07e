using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Components.Pages.Keys;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Pages;

/// <summary>A key's last use in the list, the keys unused for some days (asked of the server), and keys about to expire.</summary>
public sealed partial class KeysTests
{
    [Fact]
    public void List_ShowsEachKeysLastUse_OrNever_AndAsksForKeysUnusedForDays()
    {
        ControlPlane.Respond(HttpMethod.Get, "/api/keys", request => request.RequestUri!.Query.Contains("unusedForDays=90", StringComparison.Ordinal)
            ? Data.Page(Data.Key("bbbbbbbbbbbb", "idle-bot"))
            : Data.Page(
                Data.Key("aaaaaaaaaaaa", "busy-bot") with { LastUsedAt = new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero) },
                Data.Key("bbbbbbbbbbbb", "idle-bot")));
        var cut = RenderPage<Keys>();
        cut.WaitForAssertion(() => Assert.Contains("idle-bot", cut.Markup));

        Assert.Equal("2026-11-27 09:30 UTC", Row(cut, "busy-bot").QuerySelector("[data-testid=key-last-used]")!.TextContent.Trim());
        Assert.Equal("Never", Row(cut, "idle-bot").QuerySelector("[data-testid=key-last-used]")!.TextContent.Trim());

        cut.Find("[data-testid=keys-unused]").Closest(".mud-input-control")!.MouseDown();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll(".mud-popover-open .mud-list-item")));
        Host.FindAll(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == "90 days").Click();

        cut.WaitForAssertion(() => Assert.DoesNotContain("busy-bot", cut.Markup));
        Assert.Equal("90", ControlPlane.Last(HttpMethod.Get, "/api/keys").Query["unusedForDays"]);
    }

    [Fact]
    public void AKeyExpiringWithinTwoWeeks_SaysSo_UnlessItWasRotatedOrRevoked()
    {
        var now = Clock.GetUtcNow();
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page(
            Data.Key("aaaaaaaaaaaa", "soon-bot") with { ExpiresAt = now.AddDays(4).AddHours(2) },
            Data.Key("bbbbbbbbbbbb", "later-bot") with { ExpiresAt = now.AddDays(15) },
            Data.Key("cccccccccccc", "rotated-bot") with { ExpiresAt = now.AddDays(2), ReplacedBy = "dddddddddddd" },
            Data.Key("eeeeeeeeeeee", "revoked-bot", KeyStatus.Revoked) with { ExpiresAt = now.AddDays(2) }));
        var cut = RenderPage<Keys>();
        cut.WaitForAssertion(() => Assert.Contains("revoked-bot", cut.Markup));

        Assert.Equal("in 5 days: rotate it", Row(cut, "soon-bot").QuerySelector("[data-testid=key-expires-soon]")!.TextContent.Trim());
        Assert.Null(Row(cut, "later-bot").QuerySelector("[data-testid=key-expires-soon]"));
        Assert.Null(Row(cut, "rotated-bot").QuerySelector("[data-testid=key-expires-soon]"));
        Assert.Null(Row(cut, "revoked-bot").QuerySelector("[data-testid=key-expires-soon]"));
    }
}
