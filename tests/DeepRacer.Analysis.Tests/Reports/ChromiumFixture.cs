using Microsoft.Playwright;

namespace DeepRacer.Analysis.Tests.Reports;

/// <summary>
/// Headless Debian Chromium driven by Playwright. Chromium comes from Debian's package (Playwright's own
/// browser download is not allowed here); when it is missing and we are root, the fixture installs it.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            await AptGet.InstallAsync("chromium", $"{ChromiumPath} is missing");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // This machine's network is closed: background services would only fail, many times over.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Opens a local file with every non-file request blocked and recorded, and page errors collected.</summary>
    public Task<OfflinePage> OpenOfflineAsync(string path, int width = 1400, int height = 1000) =>
        OpenAsync(new Uri(path).AbsoluteUri, url => url.StartsWith("file:", StringComparison.Ordinal), offline: true, width, height);

    /// <summary>Opens a page of a local server; every request elsewhere is blocked and recorded, page errors collected.</summary>
    public Task<OfflinePage> OpenLocalAsync(Uri server, string path, int width = 1400, int height = 1000) =>
        OpenAsync(new Uri(server, path).AbsoluteUri, url => url.StartsWith(server.GetLeftPart(UriPartial.Authority) + "/", StringComparison.Ordinal), offline: false, width, height);

    private async Task<OfflinePage> OpenAsync(string url, Func<string, bool> allowed, bool offline, int width, int height)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Offline = offline, ViewportSize = new ViewportSize { Width = width, Height = height } });
        var errors = new List<string>();
        var requests = new List<string>();
        await context.RouteAsync("**/*", async route =>
        {
            if (allowed(route.Request.Url))
            {
                await route.ContinueAsync();
            }
            else
            {
                requests.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add(m.Text);
            }
        };
        await page.GotoAsync(url);
        return new OfflinePage(page, errors, requests);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>A page opened offline: its JS errors and the requests that were blocked.</summary>
public sealed record OfflinePage(IPage Page, List<string> Errors, List<string> Requests);

[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "chromium";
}
