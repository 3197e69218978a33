using System.Globalization;
using System.Text.Json;

namespace DrLog.Tests.Commands;

public class EpisodesCommandTests
{
    private static readonly string[] s_trainingColumns =
        ["iteration", "episode", "steps", "start_at", "progress", "time", "dist", "new_reward", "speed", "reward",
         "time_if_complete", "reward_if_complete", "quintile", "complete", "step_time_mean", "step_time_max", "step_time_std"];

    [Fact]
    public async Task Csv_DrfcOneWorker_HasReferenceColumnsAndOneRowPerEpisode()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("episodes", CliRunner.Sample("sample-drfc-1-logs"), "--format", "csv");

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(s_trainingColumns, lines[0].Split(','));
        // 540 distinct (iteration, episode) pairs, counted with Python's csv module over training-simtrace/*.csv.
        Assert.Equal(540, lines.Length - 1);
    }

    [Fact]
    public async Task Json_FastestCompleteLap_IsTheOneAManualScanFinds()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("episodes", CliRunner.Sample("sample-drfc-1-logs"), "--complete", "--sort", "time", "--top", "1", "-f", "json");

        Assert.Equal(0, exit);
        var lap = JsonDocument.Parse(stdout).RootElement.EnumerateArray().Single();
        // Manual scan: iteration 19, episode 385, 184 rows, last tstamp - first tstamp = 12.211999999999989 s; 42 complete laps in all.
        Assert.Equal(19, lap.GetProperty("iteration").GetInt32());
        Assert.Equal(385, lap.GetProperty("episode").GetInt32());
        Assert.Equal(184, lap.GetProperty("steps").GetInt32());
        Assert.Equal(12.211999999999989, lap.GetProperty("time").GetDouble());
        Assert.Equal(100, lap.GetProperty("progress").GetDouble());
        Assert.Equal(1, lap.GetProperty("complete").GetInt32());
    }

    [Fact]
    public async Task Json_Complete_KeepsOnlyTheCompletedLaps()
    {
        var (_, stdout, _) = await CliRunner.RunAsync("episodes", CliRunner.Sample("sample-drfc-1-logs"), "--complete", "-f", "json");

        var laps = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(42, laps.Count);
        Assert.All(laps, l => Assert.Equal(100, l.GetProperty("progress").GetDouble()));
    }

    [Fact]
    public async Task Json_MultiWorker_AddsUniqueEpisodeAndWorker()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("episodes", CliRunner.Sample("sample-drfc-3-logs"), "-f", "json");

        Assert.Equal(0, exit);
        var rows = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();
        // 3 workers x 10 episodes x 23 iterations (0..22), from the file names and episode columns.
        Assert.Equal(690, rows.Count);
        Assert.Equal(690, rows.Select(r => r.GetProperty("unique_episode").GetInt32()).Distinct().Count());
        Assert.Equal([0, 1, 2], rows.Select(r => r.GetProperty("worker").GetInt32()).Distinct().Order().ToArray());
    }

    [Fact]
    public async Task Json_Evaluation_HasEvaluationColumns()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("episodes", CliRunner.Sample("sample-console-logs"), "--evaluation", "-f", "json");

        Assert.Equal(0, exit);
        var rows = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();
        // Two evaluation runs of 3 trials each (sim-trace/evaluation/*/evaluation-simtrace/0-iteration.csv, episodes 0..2).
        Assert.Equal(6, rows.Count);
        Assert.Equal(
            ["stream", "episode", "steps", "start_at", "progress", "time", "dist", "speed", "crashed", "off_track", "time_if_complete", "complete",
             "step_time_mean", "step_time_max", "step_time_std"],
            rows[0].EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("20220612082523", rows[0].GetProperty("stream").GetString());
    }

    [Fact]
    public async Task Table_Leaderboard_PrintsRowsFromTheLogs()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("episodes", CliRunner.Sample("sample-console-logs"), "--leaderboard");

        Assert.Equal(0, exit);
        Assert.Contains("6 row(s)", stdout, StringComparison.Ordinal);
        Assert.Contains("20220703172842", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SortUnknownColumn_IsAUsageError()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("episodes", CliRunner.Sample("sample-drfc-1-logs"), "--sort", "laptime");

        Assert.Equal(2, exit);
        Assert.Contains("--sort laptime: no such column", stderr, StringComparison.Ordinal);
        Assert.Contains("time", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluationAndLeaderboard_Together_IsAUsageError()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("episodes", CliRunner.Sample("sample-console-logs"), "--evaluation", "--leaderboard");

        Assert.Equal(2, exit);
        Assert.Contains("cannot be combined", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_IsAUsageError()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("episodes", CliRunner.Sample("sample-console-logs"), "--fastest");

        Assert.Equal(2, exit);
        Assert.Contains("--fastest", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_Numbers_AreFullPrecision()
    {
        var (_, stdout, _) = await CliRunner.RunAsync("episodes", CliRunner.Sample("sample-drfc-1-logs"), "-f", "csv", "--top", "1");

        var row = stdout.Split('\n')[1].Split(',');
        // Episode 0 of iteration 0: 57 rows, tstamp 27.788 -> 31.532 (Python: 3.7439999999999998).
        Assert.Equal("57", row[2]);
        Assert.Equal(3.7439999999999998, double.Parse(row[5], CultureInfo.InvariantCulture));
        Assert.Equal("3.7439999999999998", row[5]);
    }
}
