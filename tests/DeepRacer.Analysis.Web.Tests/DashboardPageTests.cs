using DeepRacer.Analysis.Tests.Reports;
using Microsoft.Playwright;

namespace DeepRacer.Analysis.Web.Tests;

/// <summary>The dashboard's pages in headless Chromium, with every request outside the local server blocked.</summary>
[Collection(WebCollection.Name)]
public sealed class DashboardPageTests(ChromiumFixture chromium, DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    public static TheoryData<string, string, int> Pages => new()
    {
        // page, screenshot name, charts it draws at least
        { "/?source=0", "overview", 5 },
        { "/episodes?source=0", "episodes", 0 },
        { "/episode?source=0&kind=training&key=10/322", "episode", 5 },
        { "/track?source=0", "track", 3 },
        { "/evaluations?source=0", "evaluations", 3 },
        { "/compare", "compare", 2 },
        { "/reward?source=1", "reward", 3 },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_Loads_WithoutErrors_DrawsItsCharts_AndIsSaved(string path, string name, int charts)
    {
        var (page, errors, blocked) = await chromium.OpenLocalAsync(dashboard.Url, path);
        try
        {
            await page.WaitForSelectorAsync("main h1");
            if (charts > 0)
            {
                await page.Locator(".js-plotly-plot").Nth(charts - 1).Locator(".main-svg").First.WaitForAsync();
            }
            else
            {
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            }

            if (name == "track")
            {
                // Checked by hand (python csv): the last step of 666 of the 690 episodes is off_track, of the other 24 lap_complete.
                await Assertions.Expect(page.GetByText("666 exits")).ToBeVisibleAsync();
            }

            await page.ScreenshotAsync(new PageScreenshotOptions { Path = DashboardFixture.Screenshot(name), FullPage = true });
            Assert.Empty(errors);
            Assert.Empty(blocked);
            Assert.Equal(0, await page.Locator(".error").CountAsync());
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Episodes_Filter_ChangesTheCount_AndARowOpensItsPath()
    {
        var (page, errors, _) = await chromium.OpenLocalAsync(dashboard.Url, "/episodes?source=0");
        try
        {
            var count = page.GetByTestId("episode-count");

            // Checked by hand (python csv over the 66 simtrace files): 690 episodes; 6 complete laps in iterations 10-15.
            await Assertions.Expect(count).ToHaveTextAsync("690");
            await page.FillAsync("input[name=from]", "10");
            await page.FillAsync("input[name=to]", "15");
            await page.CheckAsync("input[name=complete]");
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(count).ToHaveTextAsync("6");
            Assert.Equal(6, await page.Locator("tbody tr").CountAsync());

            // The first is worker 2's episode 102 of iteration 10: 205 steps in 2/training-simtrace/10-iteration.csv, a complete lap.
            await page.Locator("tbody tr").First.ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Iteration 10, episode 102, worker 2");
            await page.Locator("[data-testid=episode-path] .main-svg").First.WaitForAsync();
            var points = await page.EvaluateAsync<int>("() => document.querySelector('[data-testid=episode-path]').data[3].x.length");
            Assert.Equal(205, points);

            // Stepping moves the car to the next logged position.
            await page.GetByText("step ›").ClickAsync();
            var car = await page.EvaluateAsync<double[]>("() => { const d = document.querySelector('[data-testid=episode-path]').data; return [d[4].x[0], d[3].x[1]]; }");
            Assert.Equal(car[1], car[0]);
            Assert.Empty(errors);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Reward_ShowsOldAndNewReward_TheSamplesOwnFunctionDiffersOnNoStep()
    {
        var (page, errors, blocked) = await chromium.OpenLocalAsync(dashboard.Url, "/reward?source=1");
        try
        {
            // Checked by hand (python csv): 39,392 training rows, of which 540 prepare (never scored) leave 38,852
            // replayed; the function the sample trained with gives every one its logged reward.
            await Assertions.Expect(page.GetByTestId("differing-steps")).ToHaveTextAsync("0", new() { Timeout = 30_000 });
            await Assertions.Expect(page.GetByText("replayed over 38852 training steps")).ToBeVisibleAsync();

            // Per step: the episode with the highest total (iteration 26, episode 523: 166.5 over 211 rows, by python)
            // first, logged and new as two series of every row.
            var perStep = page.GetByTestId("reward-steps");
            await perStep.Locator(".main-svg").First.WaitForAsync();
            await Assertions.Expect(page.GetByText("Reward per step: Iteration 26, episode 523")).ToBeVisibleAsync();
            var series = await page.EvaluateAsync<int[]>("() => document.querySelector('[data-testid=reward-steps]').data.map(d => d.y.length)");
            Assert.Equal([211, 211], series);
            var same = await page.EvaluateAsync<bool>("() => { const d = document.querySelector('[data-testid=reward-steps]').data; return d[0].y.every((v, i) => v === d[1].y[i]); }");
            Assert.True(same);

            // Per waypoint, logged and new are both drawn.
            var names = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(p => p.data.map(d => d.name))");
            Assert.Contains("logged", names);
            Assert.Contains("new", names);
            Assert.Empty(errors);
            Assert.Empty(blocked);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Compare_ShowsBothSources()
    {
        var (page, errors, _) = await chromium.OpenLocalAsync(dashboard.Url, "/compare");
        try
        {
            var rows = page.Locator("[data-testid=compare-table] tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(2);
            Assert.StartsWith("sample-drfc-3-logs", await rows.Nth(0).InnerTextAsync(), StringComparison.Ordinal);
            Assert.StartsWith("sample-drfc-1-logs", await rows.Nth(1).InnerTextAsync(), StringComparison.Ordinal);

            // 690 episodes in 23 iterations (0-22) and 540 in 27 (0-26): counted from the simtrace files.
            Assert.Contains("690", await rows.Nth(0).InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("540", await rows.Nth(1).InnerTextAsync(), StringComparison.Ordinal);
            await page.Locator(".js-plotly-plot").Nth(1).WaitForAsync();
            var traces = await page.EvaluateAsync<int>("() => document.querySelector('.js-plotly-plot').data.length");
            Assert.Equal(2, traces);
            Assert.Empty(errors);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
