using Gateway.Contracts.Identity;
using Gateway.Portal.Components.Layout;
using Gateway.Portal.Tests.Infrastructure;

namespace Gateway.Portal.Tests.Pages;

/// <summary>The navigation shows each role only what it may use.</summary>
public sealed class NavMenuTests : PortalTestContext
{
    [Theory]
    [InlineData(GatewayRoles.Developer, "nav-developer")]
    [InlineData(GatewayRoles.Approver, "nav-approver")]
    [InlineData(GatewayRoles.FinanceAnalyst, "nav-finance")]
    [InlineData(GatewayRoles.PlatformAdmin, "nav-admin")]
    public void EachRole_SeesItsOwnSection_AndNoOther(string role, string section)
    {
        SignInAs(role);
        var cut = RenderPage<NavMenu>();
        string[] all = ["nav-developer", "nav-approver", "nav-finance", "nav-admin"];
        var shown = all.Where(s => cut.FindAll($"[data-testid={s}]").Count > 0).ToList();
        var expected = role == GatewayRoles.PlatformAdmin ? ["nav-finance", "nav-admin"] : new List<string> { section };
        Assert.Equal(expected, shown);
        Assert.Contains("Model catalog", cut.Markup);
    }

    [Fact]
    public void ApproverWhoIsAlsoDeveloper_SeesBothSections()
    {
        SignInAs(GatewayRoles.Approver, GatewayRoles.Developer);
        var cut = RenderPage<NavMenu>();
        Assert.Single(cut.FindAll("[data-testid=nav-developer]"));
        Assert.Single(cut.FindAll("[data-testid=nav-approver]"));
        Assert.Empty(cut.FindAll("[data-testid=nav-admin]"));
    }

    [Fact]
    public void UserWithoutGatewayRole_SeesOnlyHomeAndCatalog()
    {
        SignInAs();
        var cut = RenderPage<NavMenu>();
        Assert.Empty(cut.FindAll("[data-testid^=nav-]"));
        Assert.Equal(2, cut.FindAll("a.mud-nav-link").Count);
    }
}
