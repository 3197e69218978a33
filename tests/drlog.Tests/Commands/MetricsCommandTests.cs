using System.Globalization;
using System.Text.Json;

namespace DrLog.Tests.Commands;

/// <summary>
/// <c>drlog metrics</c>. Expected numbers were computed with python3 from the samples' metrics JSON
/// (E = max(trial), iteration = (episode − 1) // E, plain means).
/// </summary>
public sealed class MetricsCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("drlog-metrics-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Summary_Json_KeysAndFirstRow()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("metrics", CliRunner.Sample("sample-drfc-1-logs"), "-f", "json");

        Assert.True(exit == 0, stderr);
        var rows = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToArray();
        Assert.Equal(28, rows.Length);
        Assert.Equal(
            ["r-i", "master_iteration", "train_reward", "train_completion", "train_time", "train_completed", "train_episodes", "eval_reward", "eval_completion", "eval_time", "eval_completed", "eval_episodes"],
            rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("01-000", rows[0].GetProperty("r-i").GetString());
        Assert.Equal(13.55, rows[0].GetProperty("train_reward").GetDouble(), 10);
        Assert.Equal(9.55, rows[0].GetProperty("train_completion").GetDouble(), 10);
        Assert.Equal(3, rows[0].GetProperty("eval_episodes").GetDouble());

        // The last iteration (27) has one training episode (reward 93, completion 70) and no evaluation: null.
        Assert.Equal(93, rows[^1].GetProperty("train_reward").GetDouble());
        Assert.Equal(JsonValueKind.Null, rows[^1].GetProperty("eval_reward").ValueKind);
    }

    [Fact]
    public async Task Summary_LastAndMethod_Csv()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("metrics", CliRunner.Sample("sample-console-logs"), "--method", "median", "--last", "2", "-f", "csv");

        Assert.Equal(0, exit);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("01-027,27,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("01-028,28,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Episodes_Drfc3_AllWorkerFilesWithReferenceColumns()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("metrics", CliRunner.Sample("sample-drfc-3-logs"), "--episodes", "-f", "csv");

        Assert.Equal(0, exit);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal("r-i,round,iteration,master_iteration,episode,r-e,worker,trial,phase,reward,completion,time,complete,start_time", lines[0]);

        // 298 + 240 + 240 elements in TrainingMetrics.json, _1 and _2; the first is episode 1 of worker 0 (reward 14, 1991 ms, start 29067).
        Assert.Equal(1 + 778, lines.Length);
        Assert.Equal("01-000,1,0,0,1,1-0001,0,1,training,14,14,1.991,0,29067", lines[1]);
    }

    [Fact]
    public async Task Episodes_WorkerAndPhaseFilters()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("metrics", CliRunner.Sample("sample-drfc-3-logs"), "--episodes", "--phase", "training", "--workers", "1,2", "-f", "csv");

        Assert.Equal(0, exit);
        Assert.Equal(1 + 480, stdout.TrimEnd().Split('\n').Length);
    }

    [Fact]
    public async Task BestLaps_Json_TrainingThenEvaluation()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("metrics", CliRunner.Sample("sample-drfc-3-logs"), "--best-laps", "2", "-f", "json");

        Assert.Equal(0, exit);
        var rows = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToArray();

        // Fastest complete laps: training 12598 ms (worker 1, episode 133), 12995 ms; evaluation 14627 ms, 14754 ms.
        Assert.Equal([12.598, 12.995, 14.627, 14.754], rows.Select(r => r.GetProperty("time").GetDouble()));
        Assert.Equal(["training", "training", "evaluation", "evaluation"], rows.Select(r => r.GetProperty("phase").GetString()));
        Assert.Equal(1, rows[0].GetProperty("worker").GetInt32());
    }

    [Fact]
    public async Task Rounds_SameMetricsTwice_MasterIterationContinues()
    {
        var folder = CliRunner.Sample("sample-drfc-1-logs");
        var (exit, stdout, _) = await CliRunner.RunAsync("metrics", folder, folder, "-f", "csv");

        Assert.Equal(0, exit);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(1 + 56, lines.Length);
        Assert.StartsWith("01-027,27,", lines[28], StringComparison.Ordinal);
        Assert.StartsWith("02-000,28,", lines[29], StringComparison.Ordinal);
        Assert.StartsWith("02-027,55,", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policy_Console_PerIterationTable()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("metrics", CliRunner.Sample("sample-console-logs"), "--policy", "-f", "csv");

        Assert.Equal(0, exit);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal("round,iteration,master_iteration,epochs,surrogate_loss,kl_divergence,entropy,learning_rate,episodes", lines[0]);
        Assert.Equal(1 + 28, lines.Length);
        var first = lines[1].Split(',');
        Assert.Equal(["1", "0", "0", "3"], first[..4]);
        Assert.Equal(2.626042683919271, double.Parse(first[6], CultureInfo.InvariantCulture), 12);
    }

    [Fact]
    public async Task Policy_TrainerLogOption_ReadsThatFile()
    {
        var log = Directory.GetFiles(Path.Combine(CliRunner.Sample("sample-console-logs"), "logs", "training"), "*-sagemaker.log").Single();
        var (exit, stdout, _) = await CliRunner.RunAsync("metrics", CliRunner.Sample("sample-drfc-1-logs"), "--policy", "--trainer-log", log, "-f", "csv");

        Assert.Equal(0, exit);
        Assert.Equal(1 + 28, stdout.TrimEnd().Split('\n').Length);
    }

    [Fact]
    public async Task Policy_NoTrainerLog_SaysWhereToFindIt()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("metrics", CliRunner.Sample("sample-drfc-1-logs"), "--policy");

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("--trainer-log", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plot_WritesEveryChartAsPngAndSvg()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("metrics", CliRunner.Sample("sample-console-logs"), "--plot", _temp, "--last", "1");

        Assert.True(exit == 0, stderr);
        string[] names = ["best-lap-progression", "completed-laps", "completion", "completion-per-episode", "lap-time", "policy", "progress", "reward-per-episode"];
        Assert.Equal(names.SelectMany(n => new[] { n + ".png", n + ".svg" }).Order(StringComparer.Ordinal), Directory.GetFiles(_temp).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EvaluationMetricsFile_ExitsOneWithOneLine()
    {
        var file = Path.Combine(CliRunner.Sample("sample-console-logs"), "metrics", "evaluation", "evaluation-20220612082523-IBZwYd0MRMqgwKlAe7bb0A.json");
        var (exit, stdout, stderr) = await CliRunner.RunAsync("metrics", file);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("holds evaluation metrics", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyFile_ExitsOneWithOneLine()
    {
        var file = Path.Combine(_temp, "TrainingMetrics.json");
        await File.WriteAllTextAsync(file, "");

        var (exit, _, stderr) = await CliRunner.RunAsync("metrics", file);

        Assert.Equal(1, exit);
        Assert.Equal($"drlog: {file} is empty: a training that just started writes it later; run again when it has episodes, or use --watch.", stderr.TrimEnd());
    }

    [Fact]
    public async Task MissingFolder_ExitsOneWithOneLine()
    {
        var missing = Path.Combine(_temp, "no-such-model");

        var (exit, _, stderr) = await CliRunner.RunAsync("metrics", missing);

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith($"drlog: {missing} does not exist", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--interval", "0s")]
    [InlineData("--interval", "soon")]
    [InlineData("--best-laps", "0")]
    [InlineData("--workers", "a,b")]
    [InlineData("--phase", "evaluation")]
    public async Task BadOptions_ExitTwo(string option, string value)
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("metrics", CliRunner.Sample("sample-drfc-1-logs"), option, value);

        Assert.Equal(2, exit);
        Assert.StartsWith("drlog: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_PrintsTheSummaryAndEndsCleanlyOnCancel()
    {
        var metrics = Path.Combine(_temp, "model", "metrics");
        Directory.CreateDirectory(metrics);
        File.Copy(Path.Combine(CliRunner.Sample("sample-drfc-1-logs"), "metrics", "TrainingMetrics.json"), Path.Combine(metrics, "TrainingMetrics.json"));
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var charts = Path.Combine(_temp, "charts");

        var exit = await Cli.RunAsync(["metrics", Path.Combine(_temp, "model"), "--watch", "--interval", "100ms", "--last", "3", "-f", "csv", "--plot", charts], stdout, stderr, cancel.Token);

        Assert.Equal(0, exit);
        var lines = stdout.ToString().TrimEnd().Split('\n');

        // Shown once (no new iteration afterwards): header + the last 3 iterations 25..27.
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("01-027,27,", lines[^1], StringComparison.Ordinal);
        Assert.Contains("watching", stderr.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(charts, "progress.png")), stderr.ToString());
    }
}
