using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Components.Pages.Admin;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Pages;

/// <summary>
/// With change control on, the control plane holds catalog, provider and role changes (202 Accepted with
/// the pending change): the admin pages say it went to a second admin, not that it failed or was saved.
/// </summary>
public sealed class ChangeControlSaveTests : PortalTestContext
{
    private const string PricesPath = "/api/models/gpt-4o/versions/gpt-4o-2024-07-18/prices";
    private const string SentForApproval = "Sent for a second admin's approval (chg-held).";

    private static readonly ProviderDto Provider = new("mockllm-openai", ProviderKind.OpenAI, "http://mock", "env:MOCKLLM_API_KEY", null, 10, 300, 120, Data.Now, "s");

    public ChangeControlSaveTests() => SignInAs(GatewayRoles.PlatformAdmin);

    [Fact]
    public void Prices_HeldForASecondAdmin_SaySentForApproval_NotAnError()
    {
        ControlPlane.Json(HttpMethod.Put, PricesPath, Data.Change("chg-held", TestUser.DefaultId), HttpStatusCode.Accepted);
        SavePrices();

        Host.WaitForAssertion(() => Assert.Contains(SentForApproval, Host.Markup));
        Assert.Empty(Host.FindAll(".mud-dialog"));
        Assert.Empty(Host.FindAll("[data-testid=api-error]"));
        Assert.DoesNotContain("Saved.", Host.Markup);
    }

    [Fact]
    public void Prices_AppliedAtOnce_SaySaved()
    {
        ControlPlane.Json(HttpMethod.Put, PricesPath, Data.Version("gpt-4o", "gpt-4o-2024-07-18", VersionStatus.Ga, 0.2m, 0.8m));
        SavePrices();

        Host.WaitForAssertion(() => Assert.Contains("Saved.", Host.Markup));
        Assert.DoesNotContain("Sent for a second admin's approval", Host.Markup);
    }

    [Fact]
    public void ProviderEdit_HeldForASecondAdmin_SaysSentForApproval_NotAnError()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/providers", Data.Page(Provider));
        ControlPlane.Json(HttpMethod.Put, "/api/providers/mockllm-openai", Data.Change("chg-held", TestUser.DefaultId), HttpStatusCode.Accepted);
        var cut = RenderPage<Providers>();
        cut.WaitForAssertion(() => Assert.Contains("env:MOCKLLM_API_KEY", cut.Find("[data-testid=providers-grid]").TextContent));

        cut.FindAll("[data-testid=providers-grid] button").First(b => b.TextContent.Trim() == "Edit").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll(".mud-dialog button")));
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Save").Click();

        Host.WaitForAssertion(() => Assert.Contains(SentForApproval, Host.Markup));
        Assert.Empty(Host.FindAll(".mud-dialog"));
        Assert.Empty(Host.FindAll("[data-testid=api-error]"));
        Assert.DoesNotContain("Provider saved", Host.Markup);
        Assert.Equal("s", ControlPlane.Last(HttpMethod.Put, "/api/providers/mockllm-openai").Json.GetProperty("concurrencyStamp").GetString());
    }

    [Fact]
    public void ProviderDelete_HeldForASecondAdmin_SaysSentForApproval_NotDeleted()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/providers", Data.Page(Provider));
        ControlPlane.Json(HttpMethod.Delete, "/api/providers/mockllm-openai", Data.Change("chg-held", TestUser.DefaultId), HttpStatusCode.Accepted);
        var cut = RenderPage<Providers>();
        cut.WaitForAssertion(() => Assert.Contains("env:MOCKLLM_API_KEY", cut.Find("[data-testid=providers-grid]").TextContent));

        cut.FindAll("[data-testid=providers-grid] button").First(b => b.TextContent.Trim() == "Delete").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll(".mud-dialog button")));
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Delete").Click();

        Host.WaitForAssertion(() => Assert.Contains(SentForApproval, Host.Markup));
        Assert.DoesNotContain("mockllm-openai deleted.", Host.Markup);
        Assert.Empty(Host.FindAll("[data-testid=api-error]"));
    }

    [Fact]
    public void RoleGrant_HeldForASecondAdmin_SaysSentForApproval_NotSaved()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/users", Data.Page(new UserDto("u2", "dev2@demo.bank", "Devon Developer", [GatewayRoles.Developer], Data.Now)));
        ControlPlane.Json(HttpMethod.Put, "/api/users/u2/roles", Data.Change("chg-held", TestUser.DefaultId), HttpStatusCode.Accepted);
        var cut = RenderPage<Users>();
        cut.WaitForAssertion(() => Assert.Contains("dev2@demo.bank", cut.Find("[data-testid=users-grid]").TextContent));

        cut.FindAll("[data-testid=users-grid] button").Single(b => b.TextContent.Trim() == "Roles").Click();
        Host.WaitForAssertion(() => Host.Find($"input[data-testid=role-{GatewayRoles.PlatformAdmin}]"));
        Host.Find($"input[data-testid=role-{GatewayRoles.PlatformAdmin}]").Change(true);
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Save").Click();

        Host.WaitForAssertion(() => Assert.Contains(SentForApproval, Host.Markup));
        Assert.Empty(Host.FindAll(".mud-dialog"));
        Assert.DoesNotContain("Roles saved.", Host.Markup);
        var roles = ControlPlane.Last(HttpMethod.Put, "/api/users/u2/roles").Json.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal([GatewayRoles.Developer, GatewayRoles.PlatformAdmin], roles);
    }

    [Fact]
    public void AValidationProblem_StillShowsAtOnce()
    {
        // Invalid input is refused when it is proposed, held or not: the dialog stays open with the field's message.
        ControlPlane.Problem(HttpMethod.Put, PricesPath, HttpStatusCode.BadRequest, "One or more validation errors occurred.",
            errors: new() { ["prices.currency"] = ["must be a 3-letter ISO 4217 code"] });
        SavePrices();

        Host.WaitForAssertion(() => Assert.Contains("must be a 3-letter ISO 4217 code", Host.Find(".mud-dialog").TextContent));
        Assert.DoesNotContain("Sent for a second admin's approval", Host.Markup);
    }

    private void SavePrices()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/models", Data.Page(Data.Model("gpt-4o")));
        var cut = RenderPage<Models>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button")));
        cut.FindAll("button").First(b => b.TextContent.Trim() == "Prices").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll(".mud-dialog button")));
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Save prices").Click();
        Host.WaitForAssertion(() => Assert.True(ControlPlane.Sent(HttpMethod.Put, PricesPath)));
    }
}
