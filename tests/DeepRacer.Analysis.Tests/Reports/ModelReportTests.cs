using DeepRacer.Analysis.Reports;
using DeepRacer.Analysis.Tables;
using Microsoft.Playwright;

namespace DeepRacer.Analysis.Tests.Reports;

[Collection(ChromiumCollection.Name)]
public sealed class ModelReportTests(ChromiumFixture chromium) : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("drlog-model-report-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData("sample-drfc-1-logs", StepTableKind.Training)]
    [InlineData("sample-drfc-3-logs", StepTableKind.Training)]
    [InlineData("sample-console-logs", StepTableKind.Evaluation)]
    public async Task Report_InHeadlessChromiumOffline_RendersEveryChartAndSorts(string sample, StepTableKind kind)
    {
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample(sample));
        var report = await ModelReport.BuildAsync(log, kind);
        var path = Path.Combine(_temp, $"{sample}.html");
        report.Save(path);

        var (page, errors, requests) = await chromium.OpenOfflineAsync(path, 1300, 900);

        // One plotly plot per chart the report says it holds, each with its drawn SVG.
        Assert.True(report.ChartCount > 5);
        Assert.Equal(report.ChartCount, await page.Locator("div.chart.js-plotly-plot").CountAsync());
        var drawn = await page.Locator("div.chart.js-plotly-plot").EvaluateAllAsync<int>("divs => divs.filter(d => d.querySelector('svg.main-svg')).length");
        Assert.Equal(report.ChartCount, drawn);
        Assert.Equal(report.TableCount, await page.Locator("table.sortable").CountAsync());

        // The last table is the episode table: sort it by progress, descending on the second click.
        var table = page.Locator("table.sortable").Last;
        var header = table.Locator("th", new LocatorLocatorOptions { HasTextString = "progress" }).First;
        await header.ClickAsync();
        await header.ClickAsync();
        Assert.Equal("descending", await header.GetAttributeAsync("aria-sort"));
        var values = await table.EvaluateAsync<string[]>(
            "(t) => { const i = [...t.tHead.rows[0].cells].findIndex(c => c.textContent.startsWith('progress')); return [...t.tBodies[0].rows].map(r => r.cells[i].dataset.value); }");
        var progress = values.Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(progress.OrderDescending().ToArray(), progress);

        var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, $"{sample}-top.png") });
        var charts = page.Locator("div.chart");
        foreach (var i in new[] { 0, report.ChartCount / 2, report.ChartCount - 1 })
        {
            await charts.Nth(i).ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(shots, $"{sample}-chart-{i}.png") });
        }

        Assert.Empty(errors);
        Assert.Empty(requests);
    }
}
