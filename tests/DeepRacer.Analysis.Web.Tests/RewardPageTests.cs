using DeepRacer.Analysis.Tests;
using DeepRacer.Analysis.Tests.Reports;
using Microsoft.Playwright;

namespace DeepRacer.Analysis.Web.Tests;

/// <summary>The Reward page with a function other than the one the model trained with: the page shows what changes.</summary>
[Collection(WebCollection.Name)]
public sealed class RewardPageTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task NewFunction_DiffersWhereTheLogsSay_AndDrawsEveryChart()
    {
        await using var dashboard = await Dashboard.StartAsync(new DashboardOptions
        {
            Sources = [TestSupport.Sample("sample-drfc-1-logs")],
            Port = 0,
            RewardFunction = Path.Combine(TestSupport.RepoRoot, "tests", "DeepRacer.Analysis.Web.Tests", "Fixtures", "speed_reward.py"),
            RewardOptions = new() { Workers = 1 },
        });
        await dashboard.FirstLoad.WaitAsync(TimeSpan.FromSeconds(60));
        var (page, errors, blocked) = await chromium.OpenLocalAsync(dashboard.Url, "/reward");
        try
        {
            // Checked by hand (python csv): of the 38,852 scored rows, 28,246 have a logged reward other than their
            // throttle (as float32, the tolerance of RewardComparison.Matches).
            await Assertions.Expect(page.GetByTestId("differing-steps")).ToHaveTextAsync("28246", new() { Timeout = 30_000 });

            // Episode totals: the highest new total is the summed throttle of iteration 20, episode 409: 294.0 (python csv).
            await page.Locator("[data-testid=reward-steps] .main-svg").First.WaitForAsync();
            var best = await page.EvaluateAsync<double>(
                "() => Math.max(...[...document.querySelectorAll('.js-plotly-plot')].find(p => p.data.some(d => d.name === 'episodes')).data.find(d => d.name === 'episodes').y)");
            Assert.Equal(294.0, best, 6);

            // Per step, the new reward of the episode shown is its speed, step by step (0 on the prepare row the
            // simulator never scores), as the Episode API gives the logged speeds.
            var same = await page.EvaluateAsync<bool>("""
                async () => {
                  const d = document.querySelector('[data-testid=reward-steps]').data;
                  const key = document.querySelector('h2 a').href.split('key=')[1];
                  const e = await (await fetch('/api/episode?key=' + key)).json();
                  return d[1].y.length === e.steps.speed.length
                    && d[1].y.every((v, i) => e.steps.status[i] === 'prepare' ? v === 0 : Math.abs(v - e.steps.speed[i]) < 1e-9);
                }
                """);
            Assert.True(same);

            // Something differs: the difference is drawn on the track too (4 charts).
            await page.Locator(".js-plotly-plot").Nth(3).Locator(".main-svg").First.WaitForAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = DashboardFixture.Screenshot("reward-new-function"), FullPage = true });
            Assert.Empty(errors);
            Assert.Empty(blocked);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
