using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Components.Pages.Admin;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Pages;

/// <summary>
/// Trying a content guard out in its dialog: a sample prompt run through the proxies' own detectors
/// as the guard is currently edited (not saved), and never sent anywhere.
/// </summary>
public sealed class ContentGuardTryTests : PortalTestContext
{
    private const string Ga = "gpt-4o-2024-07-18";
    private const string Card = "4111 1111 1111 1111";
    private const string Iban = "DE89 3704 0044 0532 0130 00";
    private const string Sample = $"Please charge {Card} and pay the rest to {Iban}.";

    public ContentGuardTryTests() => SignInAs(GatewayRoles.PlatformAdmin);

    [Fact]
    public void Typing_ASampleWithACardNumber_SaysTheRequestWouldBeBlocked()
    {
        OpenGuardDialog(new ContentGuardSpec(GuardAction.Block, [ContentDetector.PaymentCard, ContentDetector.Iban]));
        Type(Sample);

        Host.WaitForAssertion(() => Assert.Equal(
            "Blocked: payment-card×1, iban×1 — the request would be refused with 400 content_policy_violation.", Result()));
        Assert.Empty(Host.FindAll("[data-testid=guard-try-redacted]"));
    }

    [Fact]
    public void SwitchingToRedact_ShowsTheSampleRedacted_WithoutTheCardNumber()
    {
        OpenGuardDialog(new ContentGuardSpec(GuardAction.Block, [ContentDetector.PaymentCard, ContentDetector.Iban]));
        Type(Sample);
        Host.WaitForAssertion(() => Assert.StartsWith("Blocked:", Result()));
        Host.Find("input[data-testid=guard-action-redact]").Click();

        Host.WaitForAssertion(() => Assert.Equal("Redacted: payment-card×1, iban×1 — the request would be sent as below.", Result()));
        var redacted = Host.Find("[data-testid=guard-try-redacted]").TextContent;
        Assert.Equal("Please charge [REDACTED:payment-card] and pay the rest to [REDACTED:iban].", redacted);
        Assert.DoesNotContain("4111", redacted);
    }

    [Fact]
    public void AddingAPattern_FindsTheSampleTextItMatches()
    {
        OpenGuardDialog(new ContentGuardSpec(GuardAction.Block, [ContentDetector.PaymentCard]));
        Type("Status of Project  Falcon: on track.");
        Host.WaitForAssertion(() => Assert.Equal("Nothing found: the request would be sent as it is.", Result()));

        Host.Find("textarea[data-testid=guard-patterns]").Change("ACME-\\d{6}\n(?i)project\\s+falcon");

        Host.WaitForAssertion(() => Assert.Equal("Blocked: pattern×1 — the request would be refused with 400 content_policy_violation.", Result()));
    }

    [Fact]
    public void AnInvalidPattern_SaysToFixThePatternsFirst_InsteadOfThrowing()
    {
        OpenGuardDialog(new ContentGuardSpec(GuardAction.Redact, [ContentDetector.PaymentCard]));
        Type(Sample);
        Host.Find("textarea[data-testid=guard-patterns]").Change("ACME-\\d{6}\n(?<=secret )\\w+");

        Host.WaitForAssertion(() => Assert.StartsWith(
            "Fix the patterns first: '(?<=secret )\\w+' uses what a pattern matched without backtracking cannot", Result()));
        Assert.Empty(Host.FindAll("[data-testid=guard-try-redacted]"));

        // Fixing it tries the guard again.
        Host.Find("textarea[data-testid=guard-patterns]").Change("ACME-\\d{6}");
        Host.WaitForAssertion(() => Assert.Equal("Redacted: payment-card×1 — the request would be sent as below.", Result()));
    }

    [Fact]
    public void NothingToLookFor_SaysToFixTheGuardFirst()
    {
        OpenGuardDialog(new ContentGuardSpec(GuardAction.Block, [ContentDetector.PaymentCard]));
        Type(Sample);
        Host.Find("input[data-testid=guard-detector-payment-card]").Change(false);

        Host.WaitForAssertion(() => Assert.Equal("Fix the guard first: name at least one detector or pattern (or remove the guard).", Result()));
    }

    [Fact]
    public void Trying_SendsNothingToTheControlPlane()
    {
        OpenGuardDialog(new ContentGuardSpec(GuardAction.Block, [ContentDetector.PaymentCard, ContentDetector.Iban]));
        var before = ControlPlane.Requests.Count;

        Type(Sample);
        Host.WaitForAssertion(() => Assert.StartsWith("Blocked:", Result()));
        Host.Find("input[data-testid=guard-action-redact]").Click();
        Host.Find("textarea[data-testid=guard-patterns]").Change("(?i)charge");
        Host.WaitForAssertion(() => Assert.Equal("Redacted: payment-card×1, iban×1, pattern×1 — the request would be sent as below.", Result()));
        Type($"Another card: {Card}");
        Host.WaitForAssertion(() => Assert.Equal("Redacted: payment-card×1 — the request would be sent as below.", Result()));

        Assert.Equal(before, ControlPlane.Requests.Count);
        Assert.DoesNotContain(ControlPlane.Requests, r => (r.Body ?? "").Contains("4111") || r.Query.ToString()!.Contains("4111"));
    }

    [Fact]
    public void NoSample_ShowsNoResult_AndTheFieldSaysTheSampleStaysOnThePage()
    {
        OpenGuardDialog(new ContentGuardSpec(GuardAction.Block, [ContentDetector.PaymentCard]));

        Assert.Empty(Host.FindAll("[data-testid=guard-try-result]"));
        Assert.Contains("Stays on this page; never saved or sent.", Host.Find("textarea[data-testid=guard-try]").Closest(".mud-input-control")!.TextContent);
    }

    [Fact]
    public void NewVersion_CanTryTheGuardBeingSet()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(Data.Model("gpt-4o")));
        var cut = RenderPage<Models>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid^=guard-edit-]")));
        cut.FindAll("button").First(b => b.TextContent.Trim() == "Add version").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("input[data-testid=guard-enabled]")));
        Assert.Empty(Host.FindAll("textarea[data-testid=guard-try]"));
        Host.Find("input[data-testid=guard-enabled]").Change(true);
        Host.Find("input[data-testid=guard-action-redact]").Click();
        Type($"key sk-{new string('a', 24)} and {Card}");

        Host.WaitForAssertion(() => Assert.Equal("Redacted: payment-card×1, credential×1 — the request would be sent as below.", Result()));
        Assert.Equal("key [REDACTED:credential] and [REDACTED:payment-card]", Host.Find("[data-testid=guard-try-redacted]").TextContent);
    }

    private void OpenGuardDialog(ContentGuardSpec guard)
    {
        var model = Data.Model("gpt-4o");
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(model with { Versions = [model.Versions[0] with { ContentGuard = guard }, model.Versions[1]] }));
        var cut = RenderPage<Models>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll($"button[data-testid=guard-edit-{Ga}]")));
        cut.Find($"button[data-testid=guard-edit-{Ga}]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("textarea[data-testid=guard-try]")));
    }

    /// <summary>Types into the sample field, as a browser's input event does, and lets the field's debounce (on the test clock) pass.</summary>
    private void Type(string text)
    {
        Host.Find("textarea[data-testid=guard-try]").Input(text);
        Clock.Advance(TimeSpan.FromSeconds(1));
    }

    private string Result() => Host.Find("[data-testid=guard-try-result]").TextContent.Trim();
}
