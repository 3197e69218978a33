using System.Diagnostics;

namespace DrLog.Tests.Examples;

/// <summary>Runs the example scripts (.NET 10 file-based apps) as a user would: <c>dotnet run examples/x.cs</c> from the repository root.</summary>
/// <remarks>One class, so the scripts never build the library at the same time.</remarks>
public sealed class ExampleScriptsTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("drlog-examples-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task TrainingAnalysis_OnTheDrfcSample_PrintsTheNotebookAnswersAndWritesCharts()
    {
        var (exit, stdout, stderr) = await RunScriptAsync("training-analysis.cs", "samples/sample-drfc-1-logs", _temp);

        Assert.True(exit == 0, stderr + stdout);
        // Hand-checked from the CSVs: 540 episodes, 42 complete laps, fastest iteration 19 episode 385 in 12.212 s.
        Assert.Contains("540 episodes, 42 complete laps, completion rate 7.8 %", stdout, StringComparison.Ordinal);
        Assert.Contains("lap: iteration 19, episode 385, 12.212 s", stdout, StringComparison.Ordinal);
        Assert.Contains("lap: iteration 25, episode 511, 12.534 s", stdout, StringComparison.Ordinal);
        Assert.Contains("Last iteration: mean progress 68.4 %, mean reward 91.4", stdout, StringComparison.Ordinal);
        // python over 22-iteration.csv: 20 episodes, 8 reach progress 100, their tstamp spans average 13.57525 s.
        Assert.Contains("Checkpoint to race: iteration 22 (completion 40 %, mean lap 13.575 s)", stdout, StringComparison.Ordinal);
        Assert.Contains("track reinvent_base (re:Invent 2018) identified from track_len 17.709 m", stdout, StringComparison.Ordinal);
        Assert.Contains("(32 charts)", stdout, StringComparison.Ordinal);
        foreach (var chart in new[] { "progress", "aggregates", "start-waypoints", "laps", "heatmap", "reward-per-waypoint" })
        {
            var png = await File.ReadAllBytesAsync(Path.Combine(_temp, chart + ".png"));
            Assert.True(png.Length > 10_000, $"{chart}.png has {png.Length} bytes");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        }

        Assert.True(new FileInfo(Path.Combine(_temp, "report.html")).Length > 1_000_000);
    }

    [Fact]
    public async Task EvaluationAnalysis_OnTheConsoleSample_PrintsEveryLap()
    {
        var (exit, stdout, stderr) = await RunScriptAsync("evaluation-analysis.cs", "samples/sample-console-logs", _temp);

        Assert.True(exit == 0, stderr + stdout);
        // Two console evaluation runs of three trials, all complete.
        Assert.Contains("2 evaluation run(s), 6 laps, 6 complete", stdout, StringComparison.Ordinal);
        Assert.Contains("  20220612082523 lap 0: 16.401 s, 17.64 m, progress 100 %", stdout, StringComparison.Ordinal);
        Assert.Contains("  20220612083508 lap 0: 15.932 s, 17.18 m, progress 100 %", stdout, StringComparison.Ordinal);
        Assert.Contains("  20220612083508 lap 2: 16.330 s, 17.53 m, progress 100 %", stdout, StringComparison.Ordinal);
        Assert.Contains("Step timing: mean 66.7 ms, p95 73.5 ms: within the target's tolerance", stdout, StringComparison.Ordinal);
        Assert.Contains("track reinvent_base (re:Invent 2018) named by the logs ('reinvent_base')", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_temp, "evaluation-laps.png")));
    }

    [Fact]
    public async Task RewardReplay_OnTheDrfcSample_ReproducesTheLoggedRewardInCSharp()
    {
        var (exit, stdout, stderr) = await RunScriptAsync("reward-replay.cs");

        Assert.True(exit == 0, stderr + stdout);
        // 39 392 rows less 540 prepare rows (awk over the CSVs); spec 9.3.5: the simulator's computation reproduces all of them.
        Assert.Contains("C# follow-the-centre-line on reinvent_base: 38852 of 38852 steps give the logged reward (100.000 %)", stdout, StringComparison.Ordinal);
        Assert.Contains("speed_on_track.py: episode totals correlate at 0.985 with the logged ones", stdout, StringComparison.Ordinal);
        Assert.Contains("540 episodes; largest rank changes:", stdout, StringComparison.Ordinal);
        Assert.Contains("iteration 7, episode 143: rank 293 -> 203", stdout, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Out, string Err)> RunScriptAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = CliRunner.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("run");
        start.ArgumentList.Add(Path.Combine("examples", script));
        start.ArgumentList.Add("--");
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
