using Microsoft.Playwright;

namespace Swap.IntegrationTests.Web;

/// <summary>
/// Headless Debian <c>chromium</c> (installed by build.cake), driven through Microsoft.Playwright's
/// own driver (shipped in the package, no browser download). Screenshots go to
/// <c>$SWAP_CONSOLE_SCREENSHOTS</c> when set (docs/images for the docs), else to the test's folder.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public IPage Page { get; private set; } = null!;

    public string ScreenshotFolder { get; private set; } = null!;

    public static async Task<ConsoleBrowser> LaunchAsync(string scratch)
    {
        var executable = Environment.GetEnvironmentVariable("SWAP_TEST_CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(executable), $"{executable} is missing: 'dotnet cake --target=Test' installs Debian's chromium (or set SWAP_TEST_CHROMIUM).");
        var b = new ConsoleBrowser { ScreenshotFolder = Environment.GetEnvironmentVariable("SWAP_CONSOLE_SCREENSHOTS") is { Length: > 0 } s ? Path.GetFullPath(s) : Path.Combine(scratch, "screenshots") };
        Directory.CreateDirectory(b.ScreenshotFolder);
        b.playwright = await Playwright.CreateAsync();
        b.browser = await b.playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // Root in a container has no user namespaces for chromium's sandbox.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var context = await b.browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(30_000);
        // The page follows server-side state (server-sent events about once a second, control commands
        // taken at chunk boundaries); on a loaded CI machine that can take longer than Playwright's 5 s.
        Assertions.SetDefaultExpectTimeout(30_000);
        b.Page = await context.NewPageAsync();
        return b;
    }

    /// <summary>Saves the page (or <paramref name="element"/>) as <c>&lt;name&gt;.png</c>.</summary>
    public Task ShotAsync(string name, bool fullPage = true) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = fullPage });

    /// <summary>Signs in with <paramref name="token"/> through the page's form.</summary>
    public async Task SignInAsync(Uri url, string token, string? shot = null)
    {
        await Page.GotoAsync(url.ToString());
        await Page.GetByTestId("token").FillAsync(token);
        if (shot is not null)
            await ShotAsync(shot, fullPage: false);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("counts")).ToBeVisibleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
            await browser.DisposeAsync();
        playwright?.Dispose();
    }
}
