using System.Diagnostics;
using DeepRacer.Analysis.Catalog;
using DeepRacer.Analysis.Tests.Catalog;

namespace DrLog.Tests.Commands;

/// <summary><c>drlog logs ...</c> against the CloudWatch test server and the shared samples.</summary>
public sealed class LogsCommandTests : IDisposable
{
    private const string Profile = TestProfile.Name;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "drlog-logs-" + Guid.NewGuid().ToString("N"));

    static LogsCommandTests() => TestProfile.Install();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task Fetch_List_Show_Verify_Delete()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server);
        server.ThrottleNext(1);

        var (exit, stdout, stderr) = await CliRunner.RunAsync("logs", "fetch", "--root", _root, "--endpoint-url", server.Url, "--region", "us-east-1", "--profile", Profile);

        Assert.True(exit == 0, stderr);
        Assert.Equal(7, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("fetched", StringComparison.Ordinal)));
        Assert.Equal("drlog: 7 fetched, 0 already complete, 0 failed.", stderr.Trim());
        Assert.Equal(0, server.SignatureFailures);
        Assert.True(File.Exists(Path.Combine(_root, "db", "cloudwatch_logs.csv")));

        (exit, stdout, _) = await CliRunner.RunAsync("logs", "list", "--root", _root, "--type", "evaluation", "--format", "csv");
        Assert.Equal(0, exit);
        Assert.Equal(
            [
                "id,log_type,model_name,world_name,track,last_event_timestamp,status,events",
                "sim-droaeval00001,evaluation,Progress-Test-B-1,Spain_track,Spain_track,2026-03-07T17:57:05.400Z,ok,1855",
                "sim-4dnvn7g5y0wk,evaluation,Analysis-Demo,reinvent_base,reinvent_base,2022-06-12T08:36:59.900Z,ok,1050",
                "sim-ggd6pry2r37m,evaluation,Analysis-Demo,reinvent_base,reinvent_base,2022-06-12T08:27:14.400Z,ok,1045",
            ],
            stdout.TrimEnd().Split('\n'));

        (exit, stdout, _) = await CliRunner.RunAsync("logs", "list", "--root", _root, "--model", "analysis-demo", "--all-columns", "--format", "json");
        Assert.Equal(0, exit);
        Assert.Equal(5, stdout.Split('\n').Count(l => l.Contains("\"source\": \"cloudwatch\"", StringComparison.Ordinal)));
        Assert.Contains("\"discount_factor\": 0.95", stdout, StringComparison.Ordinal);

        (exit, stdout, _) = await CliRunner.RunAsync("logs", "show", "sim-7dlscz7fw4vl", "--root", _root);
        Assert.Equal(0, exit);
        Assert.Contains("log_type                       leaderboard", stdout, StringComparison.Ordinal);
        Assert.Contains("sha256                         9f7ff38befdf0b761d2ea2ec8208b94133a321a89b7ad606a5a4998d547d4cbf", stdout, StringComparison.Ordinal);

        (exit, stdout, _) = await CliRunner.RunAsync("logs", "verify", "--root", _root);
        Assert.Equal((0, "all 7 log(s) complete"), (exit, stdout.Trim()));

        (exit, _, stderr) = await CliRunner.RunAsync("logs", "delete", "sim-4dnvn7g5y0wk", "--root", _root, "--files");
        Assert.Equal(2, exit);
        Assert.Contains("pass --yes", stderr, StringComparison.Ordinal);

        (exit, stdout, _) = await CliRunner.RunAsync("logs", "delete", "sim-4dnvn7g5y0wk", "--root", _root, "--files", "--yes");
        Assert.Equal(0, exit);
        Assert.StartsWith("deleted  evaluation-sim-4dnvn7g5y0wk", stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "cloudwatch", "evaluation-sim-4dnvn7g5y0wk.log")));

        (exit, _, stderr) = await CliRunner.RunAsync("logs", "show", "sim-4dnvn7g5y0wk", "--root", _root);
        Assert.Equal(1, exit);
        Assert.Equal($"drlog: sim-4dnvn7g5y0wk is not in the catalog under {_root}; see 'drlog logs list'.", stderr.Trim());
    }

    [Fact]
    public async Task Fetch_DroppedConnection_ExitsOne_VerifyReports_NextFetchRepairs()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server, withRobomaker: false, withLeaderboard: false);
        server.DropWhen = (_, page) => page == 2;
        string[] fetch = ["logs", "fetch", "--group", "sagemaker", "--root", _root, "--endpoint-url", server.Url, "--region", "us-east-1", "--profile", Profile, "--max-retries", "1"];

        var (exit, _, stderr) = await CliRunner.RunAsync(fetch);
        Assert.Equal(1, exit);
        Assert.StartsWith("drlog: 0 fetched, 0 already complete, 1 failed", stderr, StringComparison.Ordinal);

        (exit, var stdout, _) = await CliRunner.RunAsync("logs", "verify", "--root", _root);
        Assert.Equal(1, exit);
        Assert.StartsWith("incomplete  training-job-dr-sm-rltj--20220611205309-2977ce21  a .partial download was left behind", stdout, StringComparison.Ordinal);

        server.DropWhen = null;
        (exit, _, stderr) = await CliRunner.RunAsync(fetch);
        Assert.Equal((0, "drlog: 1 fetched, 0 already complete, 0 failed."), (exit, stderr.Trim()));
        (exit, stdout, _) = await CliRunner.RunAsync("logs", "verify", "--root", _root);
        Assert.Equal((0, "all 1 log(s) complete"), (exit, stdout.Trim()));
    }

    [Fact]
    public async Task BadDate_IsAUsageError()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("logs", "fetch", "--root", _root, "--from", "yesterday-ish", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9");

        Assert.Equal(2, exit);
        Assert.Equal("drlog: --from yesterday-ish: not a date; use e.g. 2022-06-01 or 2022-06-01T12:00:00Z.", stderr.Trim());
    }

    [Fact]
    public async Task Import_ThenEpisodesByCatalogId()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("logs", "import", CliRunner.Sample("sample-console-logs/logs/evaluation"), "--root", _root);
        Assert.True(exit == 0, stderr);
        Assert.Equal(2, stdout.Split('\n').Count(l => l.StartsWith("imported", StringComparison.Ordinal)));

        Environment.SetEnvironmentVariable("DRLOG_CATALOG", _root);
        int tracksExit;
        string tracksOut;
        try
        {
            (exit, stdout, stderr) = await CliRunner.RunAsync("episodes", "IBZwYd0MRMqgwKlAe7bb0A", "--format", "csv");
            (tracksExit, tracksOut, _) = await CliRunner.RunAsync("tracks", "evaluation-IBZwYd0MRMqgwKlAe7bb0A", "--format", "csv");
        }
        finally
        {
            Environment.SetEnvironmentVariable("DRLOG_CATALOG", null);
        }

        Assert.True(exit == 0, stderr);
        var lines = stdout.TrimEnd().Split('\n');
        // drlog tracks takes a catalog id too: the console evaluation ran on WORLD_NAME=reinvent_base.
        Assert.Contains("reinvent_base", tracksOut, StringComparison.Ordinal);
        Assert.Equal(0, tracksExit);
        // Three trials; SIM_TRACE_LOG lines per episode counted with python3: 247, 244, 246.
        Assert.Equal(4, lines.Length);
        Assert.Equal(["0,0,247", "0,1,244", "0,2,246"], lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(3))));
    }

    [Fact]
    public async Task KillDuringImport_LosesNoCommittedRow()
    {
        // 150 copies of a real evaluation log, each with its own id; the child commits one row per file.
        var source = Path.Combine(_root, "in");
        Directory.CreateDirectory(source);
        var log = CliRunner.Sample("sample-console-logs/logs/evaluation/evaluation-20220612082853-IBZwYd0MRMqgwKlAe7bb0A-robomaker.log");
        for (var i = 0; i < 150; i++)
        {
            File.Copy(log, Path.Combine(source, $"evaluation-20220612082853-COPY{i:D4}-robomaker.log"));
        }

        var catalogRoot = Path.Combine(_root, "catalog");
        // A big database (20,000 rows, about 5 MB), so that most of the child's time goes into rewriting it and the kill
        // most likely lands in the middle of a CSV write.
        var seeded = Enumerable.Range(0, 20_000).Select(i => new CatalogRow
        {
            Id = $"sim-seed{i:D5}",
            LogType = CatalogLogType.Evaluation,
            ModelName = "Seed-Model",
            LastEventTimestamp = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i),
            S3Prefix = "seed/models/prefix/sagemaker-robomaker-artifacts",
            Sha256 = new string('a', 64),
        }).ToList();
        LogCatalog.Open(catalogRoot).Local.Update(rows => rows.AddRange(seeded));
        using var child = StartDrlog("logs", "import", source, "--root", catalogRoot);
        var committed = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var reader = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("imported", StringComparison.Ordinal))
                {
                    committed.Enqueue(line.Split("  ", StringSplitOptions.RemoveEmptyEntries)[1]);
                }
            }
        });

        // After a few commits, SIGKILL the child the moment it is seen writing the database: a temp file beside it (the
        // atomic way) or the CSV shrinking (what an in-place rewrite would show).
        var db = Path.Combine(catalogRoot, "db");
        var csv = Path.Combine(db, "local_training_logs.csv");
        var largest = new FileInfo(csv).Length;
        var killedWhileWriting = false;
        var clock = Stopwatch.StartNew();
        while (!child.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var length = File.Exists(csv) ? new FileInfo(csv).Length : 0;
            if (committed.Count >= 3 && (Directory.EnumerateFiles(db, "*.tmp").Any() || length < largest))
            {
                child.Kill();
                killedWhileWriting = true;
                break;
            }

            largest = Math.Max(largest, length);
        }

        await child.WaitForExitAsync();
        await reader;

        Assert.True(killedWhileWriting, "the child was never seen writing the database");
        var read = LogCatalog.Open(catalogRoot).Local.Read();
        Assert.Empty(read.Malformed);
        var keys = read.Rows.Select(r => r.Key).ToHashSet();
        Assert.True(committed.Count >= 3);
        Assert.All(committed, k => Assert.Contains(k, keys));
        Assert.All(seeded, r => Assert.Contains(r.Key, keys));
        Assert.True(read.Rows.Count < 20_150, "the child should have been killed before it finished");
    }

    [Fact]
    public async Task TwoImportsAtOnce_InTwoProcesses_LoseNoRow()
    {
        var log = CliRunner.Sample("sample-console-logs/logs/leaderboard/leaderboard-20220703172842-wDhqXQC-SkGOinLUdZCQZQ-robomaker.log");
        var catalogRoot = Path.Combine(_root, "catalog");
        var children = new List<Process>();
        foreach (var run in new[] { "A", "B" })
        {
            var folder = Path.Combine(_root, run);
            Directory.CreateDirectory(folder);
            for (var i = 0; i < 40; i++)
            {
                File.Copy(log, Path.Combine(folder, $"leaderboard-20220703172842-{run}{i:D3}-robomaker.log"));
            }

            children.Add(StartDrlog("logs", "import", folder, "--root", catalogRoot));
        }

        foreach (var child in children)
        {
            await child.StandardOutput.ReadToEndAsync();
            await child.WaitForExitAsync();
            Assert.Equal(0, child.ExitCode);
            child.Dispose();
        }

        var read = LogCatalog.Open(catalogRoot).Local.Read();
        Assert.Empty(read.Malformed);
        Assert.Equal(80, read.Rows.Count);
    }

    [Fact]
    public async Task List_HandEditedBadRow_IsReportedAndKept()
    {
        await CliRunner.RunAsync("logs", "import", CliRunner.Sample("sample-console-logs/logs/leaderboard"), "--root", _root);
        var csv = Path.Combine(_root, "db", "local_training_logs.csv");
        File.AppendAllText(csv, "my-note,,leaderboard,edited by hand\n");

        var (exit, stdout, stderr) = await CliRunner.RunAsync("logs", "list", "--root", _root, "--format", "csv");

        Assert.Equal(0, exit);
        Assert.Equal(3, stdout.TrimEnd().Split('\n').Length);
        Assert.Equal($"drlog: warning: {csv} line 4: 4 fields, the header has 29; the row is kept as it is, fix or delete it by hand.", stderr.Trim());

        await CliRunner.RunAsync("logs", "delete", "zi4mg1gOTvugQLn-3BfL4g", "--root", _root, "--yes");
        Assert.EndsWith("\nmy-note,,leaderboard,edited by hand\n", File.ReadAllText(csv), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SsoProfileWithoutLogin_SaysToLogIn()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server);

        var (exit, _, stderr) = await CliRunner.RunAsync("logs", "fetch", "--root", _root, "--endpoint-url", server.Url, "--region", "us-east-1", "--profile", "drlog-sso-test");

        Assert.Equal(1, exit);
        Assert.Equal(
            "drlog: Could not get AWS credentials (No valid SSO Token could be found): for an SSO profile run 'aws sso login --profile NAME', else check --profile and the AWS environment variables.",
            stderr.Trim());
        Assert.Equal(0, server.Requests);
    }

    private static Process StartDrlog(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(Cli).Assembly.Location);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        return Process.Start(start)!;
    }
}
