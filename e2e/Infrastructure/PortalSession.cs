using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gateway.E2E.Tests.Infrastructure;

/// <summary>
/// One demo user in their own browser context (own cookies), signed in through the control
/// plane's real sign-in page: Portal → /connect/authorize → login form → code + PKCE → Portal.
/// </summary>
public sealed partial class PortalSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _violations;

    private PortalSession(IBrowserContext context, IPage page, string email, List<string> violations)
    {
        _context = context;
        Page = page;
        Email = email;
        _violations = violations;
    }

    public IPage Page { get; }

    public string Email { get; }

    static PortalSession() => SetDefaultExpectTimeout(20_000);

    public static async Task<PortalSession> SignInAsync(GatewaySystem system, string email)
    {
        var context = await system.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = system.PortalUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Permissions = ["clipboard-read", "clipboard-write"],
            AcceptDownloads = true,
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        // The portal's and the sign-in page's content security policies must not block anything
        // they need: a refusal shows as a console error, and fails the journey when it ends.
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                lock (violations) violations.Add($"{page.Url}: {message.Text}");
        };
        await page.GotoAsync("/");
        // Not signed in: the Portal sends the browser to the control plane's sign-in page.
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(GatewaySystem.DemoPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome", Exact = false })).ToBeVisibleAsync();
        return new PortalSession(context, page, email, violations);
    }

    /// <summary>Opens a page of the Portal and waits until its heading shows (the circuit is up).</summary>
    public async Task OpenAsync(string path, string heading)
    {
        await Page.GotoAsync(path);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Picks an option of a MudSelect (a popover list, not a native select).</summary>
    public async Task ChooseAsync(ILocator select, string optionText)
    {
        await select.ClickAsync();
        var option = Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = optionText }).First;
        await option.ClickAsync();
        await Expect(Page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
    }

    /// <summary>Saves a 1280×800 screenshot for the README.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(RepositoryPaths.Screenshots);
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Screenshots, name + ".png") });
    }

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
        lock (_violations)
        {
            if (_violations.Count > 0) throw new InvalidOperationException("The content security policy blocked what a page needed:\n" + string.Join("\n", _violations));
        }
    }
}
