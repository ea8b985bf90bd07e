using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Components.Pages.Admin;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Pages;

/// <summary>
/// A platform admin suspends a provider at once, with a reason, and resumes it: applied, or (change
/// control) held for a second admin, which the page says instead of "Resumed".
/// </summary>
public sealed class ProviderSuspensionTests : PortalTestContext
{
    private const string ProvidersPath = "/api/providers";
    private const string SuspendPath = "/api/providers/mockllm-openai/suspend";
    private const string ResumePath = "/api/providers/mockllm-openai/resume";

    private static readonly ProviderDto Active = new("mockllm-openai", ProviderKind.OpenAI, "http://mock", "env:MOCKLLM_API_KEY", null, 10, 300, 120, Data.Now, "s");

    private static readonly ProviderDto Suspended = Active with
    {
        SuspendedAt = Data.Now.AddHours(1), SuspendedBy = "Ada Admin", SuspendReason = "Breach notice from the provider", ConcurrencyStamp = "s2",
    };

    public ProviderSuspensionTests() => SignInAs(GatewayRoles.PlatformAdmin);

    [Fact]
    public void Suspend_SendsTheReason_AndTheRowThenShowsSuspended()
    {
        // The list answers with the suspended provider once the suspension was sent: the row shows what the API holds.
        ControlPlane.Respond(HttpMethod.Get, ProvidersPath, _ => Data.Page(ControlPlane.Sent(HttpMethod.Post, SuspendPath) ? Suspended : Active));
        ControlPlane.Json(HttpMethod.Post, SuspendPath, Suspended);
        var cut = RenderProviders();
        Assert.Empty(cut.FindAll("[data-testid=provider-suspended]"));

        OpenSuspendDialog(cut);
        Host.Find(".mud-dialog textarea").Change("  Breach notice from the provider ");
        Host.Find("button[data-testid=provider-suspend-confirm]").Click();

        Host.WaitForAssertion(() => Assert.Contains("Suspended mockllm-openai", Host.Markup));
        Assert.Equal("Breach notice from the provider", ControlPlane.Last(HttpMethod.Post, SuspendPath).Json.GetProperty("reason").GetString());
        cut.WaitForAssertion(() => Assert.Equal("suspended", cut.Find("[data-testid=provider-suspended]").TextContent.Trim()));
        var grid = cut.Find("[data-testid=providers-grid]").TextContent;
        Assert.Contains("Breach notice from the provider (Ada Admin, 2026-11-26 11:00 UTC)", grid);
        Assert.Single(cut.FindAll("button[data-testid=resume]"));
        Assert.Empty(cut.FindAll("button[data-testid=suspend]"));
        Assert.Empty(Host.FindAll(".mud-dialog"));
    }

    [Fact]
    public void Suspend_WithoutAReason_IsRefusedInTheDialog_AndNothingIsSent()
    {
        ControlPlane.Json(HttpMethod.Get, ProvidersPath, Data.Page(Active));
        ControlPlane.Json(HttpMethod.Post, SuspendPath, Suspended);
        var cut = RenderProviders();

        OpenSuspendDialog(cut);
        Host.Find(".mud-dialog textarea").Change("   ");
        Host.Find("button[data-testid=provider-suspend-confirm]").Click();

        Host.WaitForAssertion(() => Assert.Contains("Give a reason", Host.Find(".mud-dialog").TextContent));
        Assert.False(ControlPlane.Sent(HttpMethod.Post, SuspendPath));
        Assert.DoesNotContain("Suspended mockllm-openai", Host.Markup);
    }

    [Fact]
    public void Suspend_ReasonRefusedByTheApi_ShowsTheFieldError()
    {
        ControlPlane.Json(HttpMethod.Get, ProvidersPath, Data.Page(Active));
        ControlPlane.Problem(HttpMethod.Post, SuspendPath, HttpStatusCode.BadRequest, "One or more validation errors occurred.",
            errors: new() { ["reason"] = ["must be at most 2000 characters"] });
        var cut = RenderProviders();

        OpenSuspendDialog(cut);
        Host.Find(".mud-dialog textarea").Change("Incident 4711");
        Host.Find("button[data-testid=provider-suspend-confirm]").Click();

        Host.WaitForAssertion(() => Assert.Contains("must be at most 2000 characters", Host.Find(".mud-dialog").TextContent));
        Assert.True(ControlPlane.Sent(HttpMethod.Post, SuspendPath));
        Assert.DoesNotContain("Suspended mockllm-openai", Host.Markup);
    }

    [Fact]
    public void Suspend_AlreadySuspended_ShowsTheApisMessageInTheDialog()
    {
        ControlPlane.Json(HttpMethod.Get, ProvidersPath, Data.Page(Active));
        ControlPlane.Problem(HttpMethod.Post, SuspendPath, HttpStatusCode.Conflict, "Conflict", "Provider 'mockllm-openai' is already suspended.");
        var cut = RenderProviders();

        OpenSuspendDialog(cut);
        Host.Find(".mud-dialog textarea").Change("Incident 4711");
        Host.Find("button[data-testid=provider-suspend-confirm]").Click();

        Host.WaitForAssertion(() => Assert.Contains("Provider 'mockllm-openai' is already suspended.", Host.Find(".mud-dialog [data-testid=api-error]").TextContent));
        Assert.DoesNotContain("Suspended mockllm-openai", Host.Markup);
    }

    [Fact]
    public void Resume_HeldForASecondAdmin_SaysSentForApproval_NotResumed()
    {
        ControlPlane.Json(HttpMethod.Get, ProvidersPath, Data.Page(Suspended));
        ControlPlane.Json(HttpMethod.Post, ResumePath, Data.Change("chg-held", TestUser.DefaultId), HttpStatusCode.Accepted);
        var cut = RenderProviders();

        Resume(cut);

        Host.WaitForAssertion(() => Assert.Contains("Sent for a second admin's approval (chg-held).", Host.Markup));
        Assert.DoesNotContain("Resumed", Host.Markup);
        Assert.Empty(Host.FindAll("[data-testid=api-error]"));
        Assert.True(ControlPlane.Sent(HttpMethod.Post, ResumePath));
    }

    [Fact]
    public void Resume_AppliedAtOnce_SaysResumed_AndTheRowIsNoLongerSuspended()
    {
        ControlPlane.Respond(HttpMethod.Get, ProvidersPath, _ => Data.Page(ControlPlane.Sent(HttpMethod.Post, ResumePath) ? Active : Suspended));
        ControlPlane.Json(HttpMethod.Post, ResumePath, Active);
        var cut = RenderProviders();

        Resume(cut);

        Host.WaitForAssertion(() => Assert.Contains("Resumed mockllm-openai", Host.Markup));
        Assert.DoesNotContain("Sent for a second admin's approval", Host.Markup);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=provider-suspended]")));
        Assert.Single(cut.FindAll("button[data-testid=suspend]"));
    }

    [Fact]
    public void Resume_NotSuspended_ShowsTheApisMessage()
    {
        ControlPlane.Json(HttpMethod.Get, ProvidersPath, Data.Page(Suspended));
        ControlPlane.Problem(HttpMethod.Post, ResumePath, HttpStatusCode.Conflict, "Conflict", "Provider 'mockllm-openai' is not suspended.");
        var cut = RenderProviders();

        Resume(cut);

        Host.WaitForAssertion(() => Assert.Contains("Provider 'mockllm-openai' is not suspended.", Host.Markup));
        Assert.DoesNotContain("Resumed", Host.Markup);
        Assert.DoesNotContain("Sent for a second admin's approval", Host.Markup);
    }

    private Bunit.IRenderedComponent<Providers> RenderProviders()
    {
        var cut = RenderPage<Providers>();
        cut.WaitForAssertion(() => Assert.Contains("env:MOCKLLM_API_KEY", cut.Find("[data-testid=providers-grid]").TextContent));
        return cut;
    }

    private void OpenSuspendDialog(Bunit.IRenderedComponent<Providers> cut)
    {
        cut.Find("button[data-testid=suspend]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll(".mud-dialog textarea")));
        Assert.Contains("traffic", Host.Find(".mud-dialog").TextContent);
        Assert.Contains("second platform admin", Host.Find(".mud-dialog").TextContent);
    }

    private void Resume(Bunit.IRenderedComponent<Providers> cut)
    {
        cut.Find("button[data-testid=resume]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll(".mud-dialog button")));
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Resume").Click();
    }
}
