using System.Diagnostics;
using Amazon.S3.Model;
using DeepRacer.Analysis.Tests;
using DeepRacer.Analysis.Tests.Reports;
using DeepRacer.Analysis.Tests.Sources;
using Microsoft.Playwright;

namespace DeepRacer.Analysis.Web.Tests;

/// <summary>
/// A training that grows while its Overview is open: iterations 25 and 26 of the 1-worker sample arrive one file at a
/// time, each after a half-written version of itself; the page follows without a reload and never shows the half.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class LiveDashboardTests(ChromiumFixture chromium, S3ServerFixture s3) : IDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(100);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "drlog-live-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("folder")]
    [InlineData("s3")]
    public async Task Overview_FollowsNewIterations_WithinTwoSeconds_AndNeverShowsAHalfFile(string where)
    {
        // The sample without its last two iterations (and without evaluations, which this test does not need).
        var sample = TestSupport.Sample("sample-drfc-1-logs");
        foreach (var file in Directory.GetFiles(sample, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(sample, file);
            if (relative.StartsWith("evaluation-", StringComparison.Ordinal) || relative.EndsWith("25-iteration.csv", StringComparison.Ordinal) || relative.EndsWith("26-iteration.csv", StringComparison.Ordinal))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_folder, relative))!);
            File.Copy(file, Path.Combine(_folder, relative));
        }

        var prefix = "live-" + Guid.NewGuid().ToString("N");
        var location = where == "s3" ? await s3.UploadFolderAsync(_folder, "live", prefix) : _folder;
        await using var dashboard = await Dashboard.StartAsync(new DashboardOptions
        {
            Sources = [location],
            S3 = s3.Options,
            Port = 0,
            Interval = s_interval,
            RewardFunction = Path.Combine(sample, "reward_function.py"),
            RewardOptions = new() { Workers = 1 },
        });
        await dashboard.FirstLoad.WaitAsync(TimeSpan.FromSeconds(60));

        var (page, errors, blocked) = await chromium.OpenLocalAsync(dashboard.Url, "/");
        try
        {
            var latest = page.GetByTestId("latest-iteration");
            await Assertions.Expect(latest).ToHaveTextAsync("24");
            await page.EvaluateAsync("() => window.notReloaded = true");

            foreach (var iteration in new[] { 25, 26 })
            {
                var name = $"{iteration}-iteration.csv";
                var full = await File.ReadAllBytesAsync(Path.Combine(sample, "training-simtrace", name));

                // Half a file: cut mid-line for S3 (a truncated upload), at a line inside an episode for the folder (a writer still going).
                var half = where == "s3" ? full[..(full.Length / 2)] : full[..(Array.LastIndexOf(full, (byte)'\n', full.Length / 2) + 1)];
                await PutAsync(where, prefix, name, half);
                await Task.Delay(s_interval * 15);
                Assert.Equal((iteration - 1).ToString(CultureInfo.InvariantCulture), await latest.InnerTextAsync());
                Assert.Equal(iteration * 20, await EpisodesLoadedAsync(page));

                var clock = Stopwatch.StartNew();
                await PutAsync(where, prefix, name, full);
                await Assertions.Expect(latest).ToHaveTextAsync(iteration.ToString(CultureInfo.InvariantCulture), new() { Timeout = 2000 });
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"iteration {iteration} showed after {clock.Elapsed.TotalSeconds:0.00} s");

                // The chart moved on too: its last point is the new iteration, with the file's 20 episodes behind it.
                Assert.Equal(iteration, await page.EvaluateAsync<int>("() => { const x = document.querySelector('[data-chart=completion] .js-plotly-plot').data[0].x; return x[x.length - 1]; }"));
                Assert.Equal((iteration + 1) * 20, await EpisodesLoadedAsync(page));
            }

            Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));

            // The reward replay followed, each step once: the 38,852 scored rows of iterations 0-26 (python csv: all
            // but the 540 prepare rows), not iterations 0-24 again with every update.
            var replay = await RewardReplayedAsync(page, 38852);
            Assert.Equal(38852, replay[1]);
            Assert.Equal(0, replay[2]);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = DashboardFixture.Screenshot("live-" + where), FullPage = true });
            Assert.Empty(errors);
            Assert.Empty(blocked);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Episodes the server has loaded, asked from inside the page.</summary>
    private static async Task<int> EpisodesLoadedAsync(IPage page) =>
        await page.EvaluateAsync<int>("async () => (await (await fetch('/api/sources')).json()).sources[0].episodes");

    /// <summary>The reward summary once it covers this many steps: steps, steps sent to the function so far, differing steps.</summary>
    private static async Task<long[]> RewardReplayedAsync(IPage page, int steps)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var summary = await page.EvaluateAsync<long[]>(
                "async () => { const r = await (await fetch('/api/reward?source=0')).json(); return r.pending ? [-1, 0, 0] : [r.steps, r.replayedSteps, r.differingSteps]; }");
            if (summary[0] == steps || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.Equal(steps, summary[0]);
                return summary;
            }

            await Task.Delay(100);
        }
    }

    private async Task PutAsync(string where, string prefix, string name, byte[] bytes)
    {
        if (where == "s3")
        {
            using var body = new MemoryStream(bytes);
            await s3.Client.PutObjectAsync(new PutObjectRequest { BucketName = "live", Key = $"{prefix}/training-simtrace/{name}", InputStream = body, UseChunkEncoding = false });
        }
        else
        {
            // Written in place, not renamed: the dashboard must cope with a file that is still growing.
            await using var stream = new FileStream(Path.Combine(_folder, "training-simtrace", name), FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
            await stream.WriteAsync(bytes);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
