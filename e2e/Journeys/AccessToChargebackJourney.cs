using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Gateway.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gateway.E2E.Tests.Journeys;

/// <summary>
/// The main journey: a developer asks for a model, an approver approves, the developer creates a
/// key and copies it, an application calls the proxy with it, and finance sees the call's tokens
/// and cost in the month's statement and downloads it as CSV.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class AccessToChargebackJourney(GatewaySystem system)
{
    private const string Team = "team-risk";
    private const string CostCentre = "CC-2002";
    private const string Model = "gpt-4o-mini";
    private const string Version = "gpt-4o-mini-2024-07-18";
    private const decimal InputPrice = 0.15m;
    private const decimal OutputPrice = 0.60m;

    [Fact]
    public async Task DeveloperRequests_ApproverApproves_KeyWorksThroughProxy_FinanceSeesCostAndDownloadsCsv()
    {
        Requirements.Check(system.Unavailable);
        var ct = TestContext.Current.CancellationToken;

        // 1. The developer browses the catalog and asks for gpt-4o-mini for their team.
        await using var developer = await PortalSession.SignInAsync(system, "dev2@demo.bank");
        await developer.OpenAsync("catalog", "Model catalog");
        await Expect(developer.Page.GetByTestId($"versions-{Model}")).ToContainTextAsync(Version);
        await Expect(developer.Page.GetByTestId($"versions-{Model}")).ToContainTextAsync("deprecated");
        await developer.ScreenshotAsync("catalog");

        await developer.OpenAsync($"requests/new?model={Model}", "Request access to a model");
        await Expect(developer.Page.GetByTestId("request-team")).ToContainTextAsync(Team);
        await developer.ChooseAsync(developer.Page.GetByTestId("request-use-case"), "Summarisation");
        await developer.Page.GetByLabel("Justification").FillAsync("Summarise credit-risk memos for the weekly committee pack.");
        await developer.Page.GetByLabel("Expected monthly volume (tokens)").FillAsync("2000000");
        await developer.ScreenshotAsync("request-access");
        await developer.Page.GetByTestId("request-submit").ClickAsync();
        await Expect(developer.Page.GetByRole(AriaRole.Heading, new() { Name = "My access requests" })).ToBeVisibleAsync();
        var myRequest = developer.Page.GetByTestId("my-requests").Locator("tr").Filter(new() { HasText = Model });
        await Expect(myRequest.GetByTestId("request-status")).ToHaveTextAsync("pending");

        // 2. An approver (not the requester) approves with the prefilled limits, budget and end date.
        await using (var approver = await PortalSession.SignInAsync(system, "approver@demo.bank"))
        {
            await approver.OpenAsync("approvals", "Pending access requests");
            var queue = approver.Page.GetByTestId("approval-queue");
            var justification = queue.GetByTestId("justification").Filter(new() { HasText = "Summarise credit-risk memos" });
            await Expect(justification).ToBeVisibleAsync();
            var row = queue.Locator("tr").Filter(new() { HasText = Model }).Filter(new() { HasText = "dev2@demo.bank" }).Filter(new() { Has = approver.Page.GetByTestId("approve") });
            await row.GetByTestId("approve").ClickAsync();
            var dialog = approver.Page.GetByRole(AriaRole.Dialog);
            await Expect(dialog.GetByLabel("Monthly token budget")).ToHaveValueAsync(new Regex("2[,.]?000[,.]?000"));
            await approver.ScreenshotAsync("approve-dialog");
            await dialog.GetByTestId("approve-confirm").ClickAsync();
            await Expect(approver.Page.GetByText("Approved: subscription")).ToBeVisibleAsync();
            await Expect(justification).ToHaveCountAsync(0);
        }

        await developer.Page.ReloadAsync();
        await Expect(myRequest.GetByTestId("request-status")).ToHaveTextAsync("approved");

        // 3. The developer creates a key; the secret is shown once, with a copy button.
        await developer.OpenAsync("keys", "API keys");
        await developer.Page.GetByTestId("create-key").ClickAsync();
        await developer.Page.GetByTestId("key-application").Locator("input").Or(developer.Page.GetByLabel("Application")).First.FillAsync("risk-memo-summariser");
        await developer.Page.GetByTestId("key-create-confirm").ClickAsync();
        var secretDialog = developer.Page.GetByRole(AriaRole.Dialog);
        await Expect(secretDialog.GetByTestId("key-warning")).ToContainTextAsync("only time the key is shown");
        var shown = await secretDialog.GetByLabel("API key").InputValueAsync();
        Assert.Matches("^sk-gw-[A-Za-z0-9]{12}_[A-Za-z0-9]{40}$", shown);
        await developer.ScreenshotAsync("key-created");
        await secretDialog.GetByTestId("key-copy").ClickAsync();
        await Expect(secretDialog.GetByTestId("key-copy")).ToContainTextAsync("Copied");
        var key = await developer.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal(shown, key);
        await secretDialog.GetByTestId("key-done").ClickAsync();
        await Expect(developer.Page.GetByTestId("keys-grid")).ToContainTextAsync("risk-memo-summariser");

        // 4. An application calls the proxy with the copied key (OpenAI .NET SDK).
        var chat = ProxyClient.Chat(system, Model, key);
        var completion = await ProxyClient.CompleteOnceAcceptedAsync(chat, "Summarise: the committee meets on Friday.", TimeSpan.FromSeconds(20), ct);
        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        var input = completion.Usage.InputTokenCount;
        var output = completion.Usage.OutputTokenCount;
        Assert.True(input > 0 && output > 0, $"usage {input}/{output}");
        var expectedCost = (input * InputPrice + output * OutputPrice) / 1_000_000m;

        // 5. Finance sees the call in this month's statement and downloads it as CSV.
        await using var finance = await PortalSession.SignInAsync(system, "finance@demo.bank");
        var period = DateTimeOffset.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var line = await WaitForStatementLineAsync(finance, period, ct);
        await Expect(line.GetByTestId("line-input")).ToHaveTextAsync(input.ToString("#,##0", CultureInfo.InvariantCulture));
        await Expect(line.GetByTestId("line-output")).ToHaveTextAsync(output.ToString("#,##0", CultureInfo.InvariantCulture));
        await finance.ScreenshotAsync("finance-statement");

        // The developer sees the same call in the team's usage (the ledger has it now).
        await developer.OpenAsync("usage", "Usage and budget");
        await Expect(developer.Page.GetByTestId("usage-by-version")).ToContainTextAsync(Version, new() { Timeout = 30_000 });
        await Expect(developer.Page.GetByTestId("usage-records")).ToContainTextAsync(Version);
        await developer.ScreenshotAsync("usage");

        var download = await finance.Page.RunAndWaitForDownloadAsync(() => finance.Page.GetByTestId("statement-csv").ClickAsync());
        Assert.Equal($"Statement-{period}.csv", download.SuggestedFilename);
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path, ct);
        Assert.True(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "the CSV starts with a UTF-8 byte-order mark");
        var rows = Encoding.UTF8.GetString(bytes.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Period,Type,Cost centre,Team,Model version,Currency,Requests,Input tokens,Cached input tokens,Output tokens,Amount,Reason", rows[0]);
        var csvLine = Assert.Single(rows, r => r.Contains($",usage,{CostCentre},{Team},{Version},", StringComparison.Ordinal)).Split(',');
        Assert.Equal(input.ToString(CultureInfo.InvariantCulture), csvLine[7]);
        Assert.Equal(output.ToString(CultureInfo.InvariantCulture), csvLine[9]);
        // Cost = tokens × the version's prices (the ledger keeps 6 decimals).
        Assert.InRange(decimal.Parse(csvLine[10], CultureInfo.InvariantCulture), expectedCost - 0.000001m, expectedCost + 0.000001m);

        await finance.OpenAsync("finance", "Usage and cost");
        await Expect(finance.Page.GetByTestId("chart-share-by-model").Locator("svg")).ToBeVisibleAsync();
        await finance.ScreenshotAsync("finance-usage");
    }

    /// <summary>Usage reaches the ledger asynchronously (proxy spool → gRPC → control plane): reload the statement until the line is there. Bounded.</summary>
    private static async Task<ILocator> WaitForStatementLineAsync(PortalSession finance, string period, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            await finance.OpenAsync($"finance/statements?period={period}", "Chargeback statements");
            var centre = finance.Page.GetByTestId($"cost-centre-{CostCentre}");
            var line = centre.Locator("tr").Filter(new() { HasText = Version });
            await Expect(finance.Page.GetByTestId("statement")).ToBeVisibleAsync();
            if (await line.CountAsync() > 0) return line;
            if (DateTimeOffset.UtcNow > deadline) Assert.Fail($"No {CostCentre} line for {Version} in the {period} statement after 60 s.");
            await Task.Delay(1000, ct);
        }
    }
}
