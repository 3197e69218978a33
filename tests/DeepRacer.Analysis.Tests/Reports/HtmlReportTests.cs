using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Reports;
using Microsoft.Playwright;

namespace DeepRacer.Analysis.Tests.Reports;

[Collection(ChromiumCollection.Name)]
public sealed class HtmlReportTests(ChromiumFixture chromium) : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("drlog-report-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Page_OpenedOffline_RendersEveryChartAndSortsTables()
    {
        var episodes = EpisodeTable.Aggregate(await Samples.Training("sample-drfc-1-logs"));
        var report = new HtmlReport("drfc-1 <sample> & co")
            .Section("Episodes", "Lap time against progress.");
        var figure = new PlotlyFigure("time vs progress", "time (s)", "progress (%)");
        figure.Scatter("episodes", episodes.Time.ToArray(), episodes.Progress.ToArray());
        report.Chart(figure);
        var bars = new PlotlyFigure("steps");
        bars.Histogram("steps", [.. episodes.Steps.ToArray().Select(s => (double)s)]);
        report.Chart(bars).Table(episodes, "All episodes");
        var path = Path.Combine(_temp, "report.html");
        report.Save(path);

        var (page, errors, requests) = await chromium.OpenOfflineAsync(path);

        Assert.Equal("drfc-1 <sample> & co", await page.TitleAsync());
        await page.WaitForSelectorAsync(".js-plotly-plot >> nth=1");
        Assert.Equal(2, await page.Locator(".js-plotly-plot").CountAsync());
        var drawn = await page.Locator(".js-plotly-plot").EvaluateAllAsync<int>("divs => divs.filter(d => d.querySelector('svg.main-svg')).length");
        Assert.Equal(2, drawn);
        // 540 episodes (hand-checked elsewhere) → 540 rows; sort by time: ascending, then descending.
        var rows = page.Locator("table.sortable tbody tr");
        Assert.Equal(540, await rows.CountAsync());
        var timeHeader = page.Locator("table.sortable th", new PageLocatorOptions { HasTextString = "time" }).First;
        await timeHeader.ClickAsync();
        var ascending = await ColumnValuesAsync(page, "time");
        Assert.Equal(ascending.Order().ToArray(), ascending);
        Assert.Equal("ascending", await timeHeader.GetAttributeAsync("aria-sort"));
        await timeHeader.ClickAsync();
        var descending = await ColumnValuesAsync(page, "time");
        Assert.Equal(descending.OrderDescending().ToArray(), descending);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "report-screenshot.png"), FullPage = false });

        Assert.Empty(errors);
        Assert.Empty(requests);
    }

    [Fact]
    public void Save_MissingFolder_IsAClearError()
    {
        var report = new HtmlReport("x");

        var e = Assert.Throws<DeepRacerLogException>(() => report.Save(Path.Combine(_temp, "no", "such", "report.html")));

        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_temp));
    }

    [Fact]
    public void ToHtml_HasNoNetworkReference()
    {
        var html = new HtmlReport("x").Chart(new PlotlyFigure("f")).ToHtml();

        // plotly.js itself mentions its CDN (for geo maps we never draw); what matters is that the page loads nothing.
        Assert.DoesNotContain("<script src", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link ", html, StringComparison.Ordinal);
        Assert.Contains("plotly.js v2.28.0", html, StringComparison.Ordinal);
    }

    private static async Task<double[]> ColumnValuesAsync(IPage page, string column)
    {
        var index = await page.EvalOnSelectorAllAsync<int>("table.sortable th", $"(ths) => ths.findIndex(t => t.textContent.startsWith('{column}'))");
        var values = await page.EvalOnSelectorAllAsync<string[]>("table.sortable tbody tr", $"(rows) => rows.map(r => r.cells[{index}].dataset.value)");
        return [.. values.Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
    }
}
