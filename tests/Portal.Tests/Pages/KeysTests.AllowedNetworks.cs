using System.Net;
using System.Text.Json;
using Gateway.Contracts.Admin;
using Gateway.Portal.Components.Pages.Keys;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Pages;

/// <summary>A key's allowed networks: asked for in the create dialog, shown in the list, the key-created dialog and on rotation.</summary>
public sealed partial class KeysTests
{
    private const string NetworkRule = "must be a CIDR block whose address is the network's first";

    [Fact]
    public void Create_SendsTheAllowedNetworks_AndTheSecretDialogShowsTheKeptForms()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page<ApiKeyDto>());
        var details = Data.Key("abcdefghijkl", "risk-bot") with { AllowedNetworks = ["10.20.0.0/16", "10.30.1.5/32", "2001:db8::/48"] };
        ControlPlane.Json(HttpMethod.Post, "/api/keys", new CreatedApiKeyDto(Secret, details), HttpStatusCode.Created);
        OpenCreateDialog();
        Host.Find("input[data-testid=key-application]").Change("risk-bot");
        Host.Find("textarea[data-testid=key-networks-input]").Change(" 10.20.0.0/16, 10.30.1.5\n2001:db8::/48 ");
        Host.Find("button[data-testid=key-create-confirm]").Click();

        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("[data-testid=key-warning]")));
        var sent = ControlPlane.Last(HttpMethod.Post, "/api/keys").Json.GetProperty("allowedNetworks");
        Assert.Equal(["10.20.0.0/16", "10.30.1.5", "2001:db8::/48"], sent.EnumerateArray().Select(e => e.GetString()));
        var dialog = Host.FindAll(".mud-dialog").Single(d => d.QuerySelector("[data-testid=key-warning]") is not null);
        Assert.Equal(["10.20.0.0/16", "10.30.1.5/32", "2001:db8::/48"],
            dialog.QuerySelectorAll("[data-testid=key-network]").Select(c => c.TextContent.Trim()));
    }

    [Fact]
    public void Create_WithoutNetworks_SendsNone_AndTheSecretDialogSaysAnyNetwork()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page<ApiKeyDto>());
        ControlPlane.Json(HttpMethod.Post, "/api/keys", new CreatedApiKeyDto(Secret, Data.Key("abcdefghijkl", "risk-bot")), HttpStatusCode.Created);
        OpenCreateDialog();
        Host.Find("input[data-testid=key-application]").Change("risk-bot");
        Host.Find("textarea[data-testid=key-networks-input]").Change(" \n ");
        Host.Find("button[data-testid=key-create-confirm]").Click();

        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("[data-testid=key-warning]")));
        Assert.Equal(JsonValueKind.Null, ControlPlane.Last(HttpMethod.Post, "/api/keys").Json.GetProperty("allowedNetworks").ValueKind);
        var dialog = Host.FindAll(".mud-dialog").Single(d => d.QuerySelector("[data-testid=key-warning]") is not null);
        Assert.Equal("Any network", dialog.QuerySelector("[data-testid=key-networks]")!.TextContent.Trim());
    }

    [Theory]
    [InlineData("10.20.0.0/16, 10.20.30.1/16", "'10.20.30.1/16' " + NetworkRule)]
    [InlineData("10.20.0.0/16 intranet", "'intranet' " + NetworkRule)]
    [InlineData("::ffff:10.0.0.1", "'::ffff:10.0.0.1' " + NetworkRule)]
    [InlineData("10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5 10.0.0.6 10.0.0.7 10.0.0.8 10.0.0.9 10.0.0.10 10.0.0.11 10.0.0.12 10.0.0.13 10.0.0.14 10.0.0.15 10.0.0.16 10.0.0.17",
        "must list at most 16 networks (17 given)")]
    public void Create_BadNetworks_AreRefusedOnTheField_WithoutSending_UntilCorrected(string typed, string error)
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page<ApiKeyDto>());
        ControlPlane.Json(HttpMethod.Post, "/api/keys", new CreatedApiKeyDto(Secret, Data.Key("abcdefghijkl", "risk-bot")), HttpStatusCode.Created);
        OpenCreateDialog();
        Host.Find("input[data-testid=key-application]").Change("risk-bot");
        Host.Find("textarea[data-testid=key-networks-input]").Change(typed);
        Host.Find("button[data-testid=key-create-confirm]").Click();

        Host.WaitForAssertion(() => Assert.Contains(error, NetworksField().TextContent));
        Assert.False(ControlPlane.Sent(HttpMethod.Post, "/api/keys"));
        Assert.Empty(Host.FindAll("[data-testid=key-warning]"));

        Host.Find("textarea[data-testid=key-networks-input]").Change("10.20.0.0/16");
        Assert.DoesNotContain(error, NetworksField().TextContent);
        Host.Find("button[data-testid=key-create-confirm]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("[data-testid=key-warning]")));
        Assert.Equal("10.20.0.0/16", ControlPlane.Last(HttpMethod.Post, "/api/keys").Json.GetProperty("allowedNetworks")[0].GetString());
    }

    [Fact]
    public void Create_ApiErrorForAnEntry_ShowsOnTheNetworksField_NamingTheEntry()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page<ApiKeyDto>());
        ControlPlane.Problem(HttpMethod.Post, "/api/keys", HttpStatusCode.BadRequest, "One or more validation errors occurred.",
            errors: new() { ["allowedNetworks[0]"] = ["is not a network the gateway accepts"] });
        OpenCreateDialog();
        Host.Find("input[data-testid=key-application]").Change("risk-bot");
        Host.Find("textarea[data-testid=key-networks-input]").Change("10.20.0.0/16, 10.30.1.5");
        Host.Find("button[data-testid=key-create-confirm]").Click();

        Host.WaitForAssertion(() => Assert.Contains("'10.20.0.0/16' is not a network the gateway accepts.", NetworksField().TextContent));
        Assert.True(ControlPlane.Sent(HttpMethod.Post, "/api/keys"));
        Assert.DoesNotContain("allowedNetworks[0]", Host.Markup);
        Assert.Empty(Host.FindAll("[data-testid=key-warning]"));
    }

    [Fact]
    public void List_ShowsEachKeysNetworks_AFewAsChips_OrAnyNetwork()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page(
            Data.Key("aaaaaaaaaaaa", "anywhere-bot"),
            Data.Key("bbbbbbbbbbbb", "branch-bot") with { AllowedNetworks = ["10.20.0.0/16", "2001:db8::/48"] },
            Data.Key("cccccccccccc", "dc-bot") with { AllowedNetworks = ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24", "10.0.4.0/24", "10.0.5.0/24"] }));
        var cut = RenderPage<Keys>();
        cut.WaitForAssertion(() => Assert.Contains("dc-bot", cut.Markup));

        Assert.Equal("Any network", Row(cut, "anywhere-bot").QuerySelector("[data-testid=key-networks]")!.TextContent.Trim());
        Assert.Equal(["10.20.0.0/16", "2001:db8::/48"], Row(cut, "branch-bot").QuerySelectorAll("[data-testid=key-network]").Select(c => c.TextContent.Trim()));
        Assert.DoesNotContain("Any network", Row(cut, "branch-bot").TextContent);
        var dc = Row(cut, "dc-bot");
        Assert.Equal(["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"], dc.QuerySelectorAll("[data-testid=key-network]").Select(c => c.TextContent.Trim()));
        Assert.Equal("+2", dc.QuerySelector("[data-testid=key-networks-more]")!.TextContent.Trim());
    }

    [Fact]
    public void Rotate_SaysTheNewKeyWorksFromTheSameNetworks()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/keys", Data.Page(Data.Key("abcdefghijkl", "risk-bot") with { AllowedNetworks = ["10.20.0.0/16", "10.30.1.5/32"] }));
        var cut = RenderPage<Keys>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button[data-testid=rotate-key]")));
        cut.Find("button[data-testid=rotate-key]").Click();
        Host.WaitForAssertion(() => Assert.Contains("It works from the same networks: 10.20.0.0/16, 10.30.1.5/32.", Host.Markup));
    }

    private void OpenCreateDialog()
    {
        var cut = RenderPage<Keys>();
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=create-key]").HasAttribute("disabled")));
        cut.Find("button[data-testid=create-key]").Click();
        Host.WaitForAssertion(() => Assert.NotEmpty(Host.FindAll("textarea[data-testid=key-networks-input]")));
    }

    /// <summary>The networks field with its helper or error text.</summary>
    private AngleSharp.Dom.IElement NetworksField() =>
        Host.FindAll(".mud-input-control").Single(c => c.QuerySelector("textarea[data-testid=key-networks-input]") is not null);

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<Keys> cut, string application) =>
        cut.FindAll("[data-testid=keys-grid] tbody tr").Single(r => r.TextContent.Contains(application, StringComparison.Ordinal));
}
