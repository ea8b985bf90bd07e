using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Components.Pages.Keys;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Pages;

public sealed partial class KeysTests : PortalTestContext
{
    private const string Secret = "sk-gw-abcdefghijkl_0123456789012345678901234567890123456789";

    public KeysTests()
    {
        SignInAsDeveloper();
        ControlPlane.Json(HttpMethod.Get, "/api/me", Data.Me(("team-risk", "Risk Analytics")));
        ControlPlane.Json(HttpMethod.Get, "/api/subscriptions", Data.Page(Data.Subscription("gpt-4o-mini", 1_000_000, 0)));
    }

    [Fact]
    public void Data_ListsTheTeamsKeys_AskingTheServerForTheTeam()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page(Data.Key("abcdefghijkl", "risk-bot")));
        var cut = RenderPage<Keys>();
        cut.WaitForAssertion(() => Assert.Contains("risk-bot", cut.Markup));
        Assert.Equal("team-risk", ControlPlane.Last(HttpMethod.Get, "/api/keys").Query["teamId"]);
        Assert.Equal("active", cut.Find("[data-testid=key-status]").TextContent.Trim());
    }

    [Fact]
    public void Create_ShowsTheSecretOnce_WithWarningAndCopyButton()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page<ApiKeyDto>());
        ControlPlane.Json(HttpMethod.Post, "/api/keys", new CreatedApiKeyDto(Secret, Data.Key("abcdefghijkl", "risk-bot")), HttpStatusCode.Created);
        var cut = RenderPage<Keys>();
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=create-key]").HasAttribute("disabled")));
        cut.Find("button[data-testid=create-key]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("input[data-testid=key-application]")));
        Host.Find("input[data-testid=key-application]").Change("risk-bot");
        Host.Find("button[data-testid=key-create-confirm]").Click();

        Host.WaitForAssertion(() => Assert.Contains("only time the key is shown", Host.Find("[data-testid=key-warning]").TextContent));
        Assert.Equal(Secret, Host.Find("input[data-testid=key-secret]").GetAttribute("value"));
        var body = ControlPlane.Last(HttpMethod.Post, "/api/keys").Json;
        Assert.Equal("team-risk", body.GetProperty("teamId").GetString());
        Assert.Equal("risk-bot", body.GetProperty("application").GetString());
        Assert.StartsWith("2027-02-24", body.GetProperty("expiresAt").GetString());

        Host.Find("button[data-testid=key-copy]").Click();
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText" && Equals(i.Arguments[0], Secret));
        Host.WaitForAssertion(() => Assert.Contains("Copied", Host.Find("button[data-testid=key-copy]").TextContent));
    }

    [Fact]
    public void Create_ValidationError_ShowsNextToTheField()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page<ApiKeyDto>());
        ControlPlane.Problem(HttpMethod.Post, "/api/keys", HttpStatusCode.BadRequest, "One or more validation errors occurred.",
            errors: new() { ["expiresAt"] = ["must be at most 365 days ahead"] });
        var cut = RenderPage<Keys>();
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=create-key]").HasAttribute("disabled")));
        cut.Find("button[data-testid=create-key]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("button[data-testid=key-create-confirm]")));
        Host.Find("button[data-testid=key-create-confirm]").Click();
        Host.WaitForAssertion(() => Assert.Contains("must be at most 365 days ahead", Host.Markup));
        Assert.Empty(Host.FindAll("[data-testid=key-warning]"));
    }

    [Fact]
    public void Revoke_AsksForConfirmation_ThenRevokes()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page(Data.Key("abcdefghijkl", "risk-bot")));
        ControlPlane.Json(HttpMethod.Post, "/api/keys/abcdefghijkl/revoke", Data.Key("abcdefghijkl", "risk-bot", KeyStatus.Revoked));
        var cut = RenderPage<Keys>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=revoke-key]")));
        cut.Find("button[data-testid=revoke-key]").Click();
        Host.WaitForAssertion(() => Assert.Contains("stops working at every proxy", Host.Markup));
        Assert.False(ControlPlane.Sent(HttpMethod.Post, "/api/keys/abcdefghijkl/revoke"));
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Revoke").Click();
        Host.WaitForAssertion(() => Assert.True(ControlPlane.Sent(HttpMethod.Post, "/api/keys/abcdefghijkl/revoke")));
    }

    [Fact]
    public void Empty_SaysSo()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page<ApiKeyDto>());
        var cut = RenderPage<Keys>();
        cut.WaitForAssertion(() => Assert.Contains("No keys here yet.", cut.Markup));
    }

    [Fact]
    public void Error_ShowsTheApiMessage()
    {
        ControlPlane.Problem(HttpMethod.Get, "/api/keys", HttpStatusCode.Forbidden, "Forbidden", "You are not a member of team 'team-x'.");
        var cut = RenderPage<Keys>();
        cut.WaitForAssertion(() => Assert.Contains("You are not a member of team 'team-x'.", cut.Find("[data-testid=api-error]").TextContent));
    }

    [Fact]
    public void PlatformAdmin_WhoIsInNoTeam_CanRevokeButNotCreate()
    {
        SignInAs(GatewayRoles.PlatformAdmin);
        ControlPlane.Json(HttpMethod.Get, "/api/me", Data.Me());
        ControlPlane.Json(HttpMethod.Get, "/api/teams", Data.Page(new TeamDto("team-risk", "Risk Analytics", "CC-2002", null, 2, Data.Now, "s")));
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page(Data.Key("abcdefghijkl", "risk-bot")));
        var cut = RenderPage<Keys>();
        cut.WaitForAssertion(() => Assert.Contains("risk-bot", cut.Markup));
        Assert.Empty(cut.FindAll("button[data-testid=create-key]"));
        Assert.Empty(cut.FindAll("button[data-testid=rotate-key]"));
        Assert.Single(cut.FindAll("button[data-testid=revoke-key]"));
    }
}
