using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Components.Pages.Catalog;
using Gateway.Portal.Components.Pages.Requests;
using Gateway.Portal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Portal.Tests.Pages;

/// <summary>
/// What a team sees of a version's content guard before it builds on it: what requests are screened
/// for and what happens, with patterns only counted (their texts may name confidential projects).
/// </summary>
public sealed class ContentGuardDeveloperTests : PortalTestContext
{
    private const string Ga = "gpt-4o-mini-2024-07-18";
    private const string Old = "gpt-4o-mini-2024-05-01";
    private const string Secret = "project\\s+falcon";

    public ContentGuardDeveloperTests() => SignInAsDeveloper();

    [Fact]
    public void Catalog_SaysWhatEachVersionIsScreenedFor_CountingPatterns()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(Guarded(
            new ContentGuardSpec(GuardAction.Redact, [ContentDetector.Credential]) { Patterns = ["(?i)" + Secret, "ACME-\\d{6}"] }, null)));
        var cut = RenderPage<Catalog>();
        cut.WaitForAssertion(() => Assert.Contains(Old, cut.Markup));

        var screening = cut.Find($"[data-testid=screening-{Ga}]");
        Assert.Equal("Redacts: credential, 2 patterns", screening.TextContent.Trim());
        Assert.Equal($"Requests to {Ga} are screened: credentials (API keys, tokens, private keys) and text matching 2 patterns set by the platform team "
            + "are replaced with [REDACTED:…] and the rest is sent to the provider.", screening.GetAttribute("title"));
        Assert.Equal("—", cut.Find($"[data-testid=screening-{Old}]").TextContent.Trim());
        Assert.DoesNotContain("falcon", cut.Markup);
        Assert.DoesNotContain("ACME", cut.Markup);
    }

    [Fact]
    public void NewRequest_SaysWhatTheChosenModelsVersionsAreScreenedFor_WithoutPatternTexts()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(Guarded(
            new ContentGuardSpec(GuardAction.Block, [ContentDetector.Iban, ContentDetector.PaymentCard]) { Patterns = ["(?i)" + Secret] },
            new ContentGuardSpec(GuardAction.Redact, [ContentDetector.Credential]))));
        var cut = RenderRequestForm();

        var lines = cut.FindAll("[data-testid=request-screening] .mud-typography").Select(l => l.TextContent.Trim()).ToList();
        Assert.Equal(
        [
            $"Requests to {Ga} are screened: one containing payment card numbers, IBANs or text matching 1 pattern set by the platform team "
                + "is refused (400 content_policy_violation) and nothing is sent to the provider.",
            $"Requests to {Old} are screened: credentials (API keys, tokens, private keys) are replaced with [REDACTED:…] and the rest is sent to the provider.",
        ], lines);
        Assert.DoesNotContain("falcon", cut.Markup);
    }

    [Fact]
    public void NewRequest_AModelWithoutAGuard_SaysNothingAboutScreening()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(Data.Model()));
        var cut = RenderRequestForm();

        Assert.Empty(cut.FindAll("[data-testid=request-screening]"));
        Assert.DoesNotContain("screened", cut.Markup);
    }

    private static ModelDto Guarded(ContentGuardSpec? ga, ContentGuardSpec? old)
    {
        var model = Data.Model();
        return model with { Versions = [model.Versions[0] with { ContentGuard = ga }, model.Versions[1] with { ContentGuard = old }] };
    }

    private IRenderedComponent<NewRequest> RenderRequestForm()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/me", Data.Me(("team-risk", "Risk Analytics")));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/requests/new?model=gpt-4o-mini");
        var cut = RenderPage<NewRequest>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=request-submit]")));
        return cut;
    }
}
