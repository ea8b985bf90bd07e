using System.Net;
using Gateway.Contracts.Admin;
using Gateway.Contracts.Identity;
using Gateway.Portal.Components.Pages.Finance;
using Gateway.Portal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Portal.Tests.Pages;

public sealed class StatementsTests : PortalTestContext
{
    public StatementsTests() =>
        ControlPlane.Json(HttpMethod.Get, "/api/statements", Data.Page(new StatementPeriodDto("2026-11", false, null, [new MoneyTotal("USD", 0.00036m)])));

    [Fact]
    public void CurrentMonth_ShowsLinesAndTotals_AndCannotBeClosedYet()
    {
        SignInAs(GatewayRoles.FinanceAnalyst);
        ControlPlane.Json(HttpMethod.Get, "/api/statements/2026-11", Data.Statement("2026-11"));
        var cut = RenderPage<Statements>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=cost-centre-CC-2002]")));
        Assert.Equal("1,200", cut.Find("[data-testid=line-input]").TextContent);
        Assert.Equal("300", cut.Find("[data-testid=line-output]").TextContent);
        Assert.Equal("0.00036 USD", cut.Find("[data-testid=line-cost]").TextContent);
        Assert.Contains("Total 0.00036 USD", cut.Find("[data-testid=statement-total]").TextContent);
        Assert.True(cut.Find("button[data-testid=close-month]").HasAttribute("disabled"));
        Assert.Equal("2026-11 has not ended yet; only a past month can be closed.", cut.Find("[data-testid=close-reason]").TextContent);
        Assert.Equal("exports/statements/2026-11.csv", cut.Find("[data-testid=statement-csv]").GetAttribute("href"));
    }

    [Fact]
    public void PastMonth_IsClosedAfterConfirmation()
    {
        SignInAs(GatewayRoles.FinanceAnalyst);
        ControlPlane.Json(HttpMethod.Get, "/api/statements/2026-11", Data.Statement("2026-11"));
        ControlPlane.Json(HttpMethod.Get, "/api/statements/2026-10", Data.Statement("2026-10"));
        ControlPlane.Json(HttpMethod.Post, "/api/statements/2026-10/close", Data.Statement("2026-10", closed: true));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/finance/statements?period=2026-10");
        var cut = RenderPage<Statements>();
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=close-month]").HasAttribute("disabled")));
        cut.Find("button[data-testid=close-month]").Click();
        Host.WaitForAssertion(() => Assert.Contains("frozen for good", Host.Markup));
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Close month").Click();
        Host.WaitForAssertion(() => Assert.True(ControlPlane.Sent(HttpMethod.Post, "/api/statements/2026-10/close")));
        cut.WaitForAssertion(() => Assert.StartsWith("closed", cut.Find("[data-testid=statement-state]").TextContent.Trim()));
    }

    [Fact]
    public void PlatformAdmin_ReadsStatements_ButCannotCloseThem()
    {
        SignInAs(GatewayRoles.PlatformAdmin);
        ControlPlane.Json(HttpMethod.Get, "/api/statements/2026-11", Data.Statement("2026-11"));
        var cut = RenderPage<Statements>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=cost-centre-CC-2002]")));
        Assert.Empty(cut.FindAll("[data-testid=close-month]"));
    }

    [Fact]
    public void EmptyMonth_SaysNothingWasBilled()
    {
        SignInAs(GatewayRoles.FinanceAnalyst);
        ControlPlane.Json(HttpMethod.Get, "/api/statements/2026-11", new StatementDto("2026-11", false, null, null, [], [], []));
        var cut = RenderPage<Statements>();
        cut.WaitForAssertion(() => Assert.Contains("No usage was billed in this month.", cut.Markup));
    }

    [Fact]
    public void Error_ShowsTheApiMessage()
    {
        SignInAs(GatewayRoles.FinanceAnalyst);
        ControlPlane.Problem(HttpMethod.Get, "/api/statements/2026-11", HttpStatusCode.BadRequest, "Bad period", errors: new() { ["period"] = ["must be yyyy-MM"] });
        var cut = RenderPage<Statements>();
        cut.WaitForAssertion(() => Assert.Contains("period must be yyyy-MM", cut.Find("[data-testid=api-error]").TextContent));
    }
}

public sealed class FinanceReportsTests : PortalTestContext
{
    public FinanceReportsTests() => SignInAs(GatewayRoles.FinanceAnalyst);

    [Fact]
    public void Data_DrawsCostOverTimeAndShareByModel_AndTablesAskTheServer()
    {
        ControlPlane.Respond(HttpMethod.Get, "/api/usage/summary", request =>
        {
            var groupBy = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query)["groupBy"];
            return groupBy switch
            {
                "month" => Data.Page(new UsageSummaryRow("2026-10", "USD", 5, 100, 0, 50, 150, 1.5m), new UsageSummaryRow("2026-11", "USD", 9, 300, 0, 90, 390, 2.25m)),
                "modelVersion" => Data.Page(new UsageSummaryRow("gpt-4o-2024-08-06", "USD", 9, 300, 0, 90, 390, 3m), new UsageSummaryRow("gpt-4o-mini-2024-07-18", "USD", 5, 100, 0, 50, 150, 0.75m)),
                _ => Data.Page(new UsageSummaryRow("CC-2002", "USD", 14, 400, 0, 140, 540, 3.75m)),
            };
        });
        var cut = RenderPage<FinanceReports>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=chart-cost-over-time] svg")));
        Assert.NotEmpty(cut.FindAll("[data-testid=chart-share-by-model] svg"));
        cut.WaitForAssertion(() => Assert.Contains("CC-2002", cut.Find("[data-testid=summary-costCentre]").TextContent));
        var months = ControlPlane.Requests.First(r => r.Path == "/api/usage/summary" && r.Query["groupBy"] == "month");
        Assert.Equal("2026-06-01T00:00:00Z", months.Query["from"]);
        Assert.Equal("2026-12-01T00:00:00Z", months.Query["to"]);
        Assert.StartsWith("exports/usage.csv?groupBy=costCentre&from=2026-06-01T00%3A00%3A00Z", cut.Find("[data-testid=export-costCentre-csv]").GetAttribute("href"));
    }

    [Fact]
    public void Empty_SaysNoUsage()
    {
        ControlPlane.Json(HttpMethod.Get, "/api/usage/summary", Data.Page<UsageSummaryRow>());
        var cut = RenderPage<FinanceReports>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid^=chart-] [data-testid=empty-state]").Count));
    }

    [Fact]
    public void Error_ShowsTheApiMessage()
    {
        ControlPlane.Problem(HttpMethod.Get, "/api/usage/summary", HttpStatusCode.Forbidden, "Forbidden", "Finance and admins only.");
        var cut = RenderPage<FinanceReports>();
        cut.WaitForAssertion(() => Assert.Contains("Finance and admins only.", cut.Find("[data-testid=api-error]").TextContent));
    }
}
