using System.Net;
using System.Text.Json;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Snapshot;
using Gateway.Portal.Components.Pages.Keys;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Pages;

/// <summary>Changing a key's allowed networks from the keys list, without a new secret.</summary>
public sealed partial class KeysTests
{
    private const string NetworksPath = "/api/keys/abcdefghijkl/networks";
    private static readonly ApiKeyDto Branch = Data.Key("abcdefghijkl", "branch-bot") with { AllowedNetworks = ["10.20.0.0/16", "10.30.1.5/32"] };

    [Fact]
    public void EditNetworks_OpensPrefilledWithTheKeysNetworks_SayingTheSecretStays()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page(Branch));
        OpenNetworksDialog();

        Assert.Equal("10.20.0.0/16\n10.30.1.5/32", NetworksText());
        var explained = Host.Find("[data-testid=key-networks-explained]").TextContent;
        Assert.Contains("secret does not change", explained);
        Assert.Contains("empty field means any network", explained);
    }

    [Fact]
    public void EditNetworks_OnlyForAUsableKeyOfTheUsersTeam()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page(
            Data.Key("aaaaaaaaaaaa", "own-bot"),
            Data.Key("bbbbbbbbbbbb", "other-team-bot", team: "team-x"),
            Data.Key("cccccccccccc", "expired-bot") with { ExpiresAt = Data.Now.AddDays(-1) },
            Data.Key("dddddddddddd", "revoked-bot", KeyStatus.Revoked)));
        var cut = RenderPage<Keys>();
        cut.WaitForAssertion(() => Assert.Contains("revoked-bot", cut.Markup));

        Assert.NotNull(Row(cut, "own-bot").QuerySelector("button[data-testid=key-networks-edit]"));
        Assert.Null(Row(cut, "other-team-bot").QuerySelector("button[data-testid=key-networks-edit]"));
        Assert.Null(Row(cut, "expired-bot").QuerySelector("button[data-testid=key-networks-edit]"));
        Assert.Null(Row(cut, "revoked-bot").QuerySelector("button[data-testid=key-networks-edit]"));
    }

    [Fact]
    public void EditNetworks_Save_SendsTheEditedList_ClosesTheDialog_AndTheListShowsTheNewNetworks()
    {
        var moved = Branch with { AllowedNetworks = ["10.40.0.0/16", "10.30.1.5/32"] };
        ControlPlane.Respond(HttpMethod.Get, "/api/keys", _ => Data.Page(ControlPlane.Sent(HttpMethod.Put, NetworksPath) ? moved : Branch));
        ControlPlane.Json(HttpMethod.Put, NetworksPath, moved);
        var cut = OpenNetworksDialog();
        Host.Find("textarea[data-testid=key-networks-input]").Change("10.40.0.0/16,\n10.30.1.5");
        Host.Find("button[data-testid=key-networks-save]").Click();

        Host.WaitForAssertion(() => Assert.Contains("Networks of sk-gw-abcdefghijkl_… saved: the proxies apply them with the next snapshot.", Host.Markup));
        Assert.Equal(["10.40.0.0/16", "10.30.1.5"],
            ControlPlane.Last(HttpMethod.Put, NetworksPath).Json.GetProperty("allowedNetworks").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(Host.FindAll("textarea[data-testid=key-networks-input]"));
        cut.WaitForAssertion(() => Assert.Equal(["10.40.0.0/16", "10.30.1.5/32"],
            Row(cut, "branch-bot").QuerySelectorAll("[data-testid=key-network]").Select(c => c.TextContent.Trim())));
    }

    [Fact]
    public void EditNetworks_Cleared_SendsNull_AndTheListSaysAnyNetwork()
    {
        var anywhere = Branch with { AllowedNetworks = null };
        ControlPlane.Respond(HttpMethod.Get, "/api/keys", _ => Data.Page(ControlPlane.Sent(HttpMethod.Put, NetworksPath) ? anywhere : Branch));
        ControlPlane.Json(HttpMethod.Put, NetworksPath, anywhere);
        var cut = OpenNetworksDialog();
        Host.Find("textarea[data-testid=key-networks-input]").Change(" \n ");
        Host.Find("button[data-testid=key-networks-save]").Click();

        Host.WaitForAssertion(() => Assert.True(ControlPlane.Sent(HttpMethod.Put, NetworksPath)));
        Assert.Equal(JsonValueKind.Null, ControlPlane.Last(HttpMethod.Put, NetworksPath).Json.GetProperty("allowedNetworks").ValueKind);
        cut.WaitForAssertion(() => Assert.Equal("Any network", Row(cut, "branch-bot").QuerySelector("[data-testid=key-networks]")!.TextContent.Trim()));
    }

    [Fact]
    public void EditNetworks_BadEntry_IsRefusedOnTheField_WithoutSending()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page(Branch));
        ControlPlane.Json(HttpMethod.Put, NetworksPath, Branch);
        OpenNetworksDialog();
        Host.Find("textarea[data-testid=key-networks-input]").Change("10.20.0.0/16 intranet");
        Host.Find("button[data-testid=key-networks-save]").Click();

        Host.WaitForAssertion(() => Assert.Contains("'intranet' " + NetworkRule, NetworksField().TextContent));
        Assert.False(ControlPlane.Sent(HttpMethod.Put, NetworksPath));
        Assert.NotEmpty(Host.FindAll("textarea[data-testid=key-networks-input]"));
    }

    [Fact]
    public void EditNetworks_ApiErrorForAnEntry_ShowsOnTheField_NamingTheEntry()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page(Branch));
        ControlPlane.Problem(HttpMethod.Put, NetworksPath, HttpStatusCode.BadRequest, "One or more validation errors occurred.",
            errors: new() { ["allowedNetworks[1]"] = ["is not a network the gateway accepts"] });
        OpenNetworksDialog();
        Host.Find("button[data-testid=key-networks-save]").Click();

        Host.WaitForAssertion(() => Assert.Contains("'10.30.1.5/32' is not a network the gateway accepts.", NetworksField().TextContent));
        Assert.DoesNotContain("allowedNetworks[1]", Host.Markup);
    }

    [Fact]
    public void EditNetworks_KeyRevokedMeanwhile_ShowsTheApisDetail_AndKeepsTheDialogOpen()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page(Branch));
        ControlPlane.Problem(HttpMethod.Put, NetworksPath, HttpStatusCode.Conflict, "Conflict", "A revoked key's networks cannot be changed.");
        OpenNetworksDialog();
        Host.Find("textarea[data-testid=key-networks-input]").Change("10.40.0.0/16");
        Host.Find("button[data-testid=key-networks-save]").Click();

        Host.WaitForAssertion(() => Assert.Contains("A revoked key's networks cannot be changed.", Host.Find(".mud-dialog [data-testid=api-error]").TextContent));
        Assert.NotEmpty(Host.FindAll("textarea[data-testid=key-networks-input]"));
        Assert.DoesNotContain("saved: the proxies apply them", Host.Markup);
    }

    private IRenderedComponent<Keys> OpenNetworksDialog()
    {
        var cut = RenderPage<Keys>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=key-networks-edit]")));
        cut.Find("button[data-testid=key-networks-edit]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("textarea[data-testid=key-networks-input]")));
        return cut;
    }

    private string? NetworksText() => Host.Find("textarea[data-testid=key-networks-input]").GetAttribute("value");
}
